/**
 * QTI 2.1 response declarations (correctResponse, mapping) and the attribute/identifier checks
 * that stand in for the XSD on the elements lectern interprets.
 */
import type { Element } from '@xmldom/xmldom';
import type { Reason } from '../contract/errors.js';
import { reason } from './reasons.js';
import { elementChildren, firstChild, localName, positionOf, textContent } from './xml-document.js';

export interface MapEntry {
  key: string;
  value: number;
  caseSensitive: boolean;
}

export interface ResponseDeclaration {
  identifier: string;
  cardinality: string;
  baseType: string;
  correct: string[];
  mapping?: { entries: MapEntry[]; defaultValue: number; lowerBound?: number; upperBound?: number };
  element: Element;
}

/** QTI identifiers are XML NCNames (no spaces, not starting with a digit). */
const IDENTIFIER = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$/;

const COMMON = ['id', 'class', 'label', 'xml:lang', 'xml:base', 'lang'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  assessmentItem: ['identifier', 'title', 'label', 'adaptive', 'timeDependent', 'toolName', 'toolVersion', 'xml:lang', 'lang'],
  responseDeclaration: ['identifier', 'cardinality', 'baseType'],
  correctResponse: ['interpretation'],
  value: ['fieldIdentifier', 'baseType'],
  mapping: ['lowerBound', 'upperBound', 'defaultValue'],
  mapEntry: ['mapKey', 'mappedValue', 'caseSensitive'],
  choiceInteraction: [...COMMON, 'responseIdentifier', 'shuffle', 'maxChoices', 'minChoices', 'orientation'],
  simpleChoice: [...COMMON, 'identifier', 'fixed', 'templateIdentifier', 'showHide'],
  textEntryInteraction: [...COMMON, 'responseIdentifier', 'base', 'stringIdentifier', 'expectedLength', 'patternMask', 'placeholderText'],
  extendedTextInteraction: [
    ...COMMON, 'responseIdentifier', 'base', 'stringIdentifier', 'expectedLength', 'patternMask', 'placeholderText',
    'maxStrings', 'minStrings', 'expectedLines', 'format',
  ],
  inlineChoiceInteraction: [...COMMON, 'responseIdentifier', 'shuffle', 'required'],
  inlineChoice: [...COMMON, 'identifier', 'fixed', 'templateIdentifier', 'showHide'],
  matchInteraction: [...COMMON, 'responseIdentifier', 'shuffle', 'maxAssociations', 'minAssociations'],
  simpleMatchSet: COMMON,
  simpleAssociableChoice: [...COMMON, 'identifier', 'fixed', 'templateIdentifier', 'showHide', 'matchMax', 'matchMin', 'matchGroup'],
  prompt: COMMON,
};

/** Attributes the QTI 2.1 schema does not allow, on the elements lectern reads. */
export function checkQtiAttributes(root: Element): Reason[] {
  const errors: Reason[] = [];
  const walk = (el: Element): void => {
    const allowed = ALLOWED_ATTRIBUTES[localName(el)];
    if (allowed) {
      for (let i = 0; i < el.attributes.length; i++) {
        const name = el.attributes.item(i)?.name ?? '';
        if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:') || allowed.includes(name)) continue;
        errors.push(
          reason(
            'quiz.qti-invalid',
            `The attribute '${name}' is not allowed on <${localName(el)}> (line ${positionOf(el).line}) by the QTI 2.1 schema: remove it.`,
            positionOf(el),
          ),
        );
      }
    }
    for (const child of elementChildren(el)) walk(child);
  };
  walk(root);
  return errors;
}

export function checkIdentifier(value: string | null, what: string, el: Element): Reason | undefined {
  if (value !== null && IDENTIFIER.test(value)) return undefined;
  const shown = value === null ? 'no identifier' : `the identifier '${value}'`;
  return reason(
    'quiz.qti-invalid',
    `${what} at line ${positionOf(el).line} has ${shown}, which is not a valid QTI identifier (letters, digits, '_', '-', '.'; no spaces; not starting with a digit).`,
    positionOf(el),
  );
}

export function readDeclarations(root: Element, errors: Reason[]): Map<string, ResponseDeclaration> {
  const declarations = new Map<string, ResponseDeclaration>();
  for (const el of elementChildren(root, 'responseDeclaration')) {
    const identifier = el.getAttribute('identifier');
    const invalid = checkIdentifier(identifier, '<responseDeclaration>', el);
    if (invalid) errors.push(invalid);
    const correct = elementChildren(firstChild(el, 'correctResponse') ?? el, 'value').map((v) => (textContent(v) ?? '').trim());
    const declaration: ResponseDeclaration = {
      identifier: identifier ?? '',
      cardinality: el.getAttribute('cardinality') ?? 'single',
      baseType: el.getAttribute('baseType') ?? 'identifier',
      correct: firstChild(el, 'correctResponse') ? correct : [],
      element: el,
    };
    const mapping = firstChild(el, 'mapping');
    if (mapping) {
      const number = (name: string): number | undefined => {
        const raw = mapping.getAttribute(name);
        return raw === null || raw.trim() === '' || !Number.isFinite(Number(raw)) ? undefined : Number(raw);
      };
      const lowerBound = number('lowerBound');
      const upperBound = number('upperBound');
      declaration.mapping = {
        defaultValue: number('defaultValue') ?? 0,
        entries: elementChildren(mapping, 'mapEntry').map((entry) => ({
          key: (entry.getAttribute('mapKey') ?? '').trim(),
          value: Number(entry.getAttribute('mappedValue') ?? '0') || 0,
          caseSensitive: (entry.getAttribute('caseSensitive') ?? 'true').trim() !== 'false',
        })),
        ...(lowerBound === undefined ? {} : { lowerBound }),
        ...(upperBound === undefined ? {} : { upperBound }),
      };
    }
    if (identifier !== null) declarations.set(identifier, declaration);
  }
  return declarations;
}

/** The score of each key under a declaration, as a percentage of the best reachable score. */
export function creditsOf(declaration: ResponseDeclaration, keys: string[], additive: boolean): Map<string, number> {
  const credits = new Map<string, number>();
  const mapping = declaration.mapping;
  if (!mapping) {
    const correct = new Set(declaration.correct);
    const share = additive && correct.size > 0 ? 100 / correct.size : 100;
    for (const key of keys) credits.set(key, correct.has(key) ? share : additive ? -100 : 0);
    return credits;
  }
  const raw = new Map(keys.map((k) => [k, mapping.entries.find((e) => e.key === k)?.value ?? mapping.defaultValue]));
  const positives = [...raw.values()].filter((v) => v > 0);
  let best = additive ? positives.reduce((a, b) => a + b, 0) : Math.max(0, ...positives);
  if (mapping.upperBound !== undefined && mapping.upperBound > 0) best = Math.min(best, mapping.upperBound);
  for (const [key, value] of raw) credits.set(key, best > 0 ? Math.max(-100, Math.min(100, (value / best) * 100)) : 0);
  // A correct response with no mapping entry still earns full marks under match_correct.
  if (!additive) for (const key of declaration.correct) if (!mapping.entries.some((e) => e.key === key)) credits.set(key, 100);
  return credits;
}
