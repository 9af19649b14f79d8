/**
 * QTI 2.1 items (`assessmentItem`). Supported interactions: choiceInteraction (single →
 * multiple-choice, multiple → multiple-response), textEntryInteraction (string → short-answer,
 * float/integer → numerical), extendedTextInteraction (essay) and matchInteraction (matching);
 * an item with several choice / inline choice / text entry interactions (or one inline choice) is
 * a cloze question, one gap per interaction; an item with no interaction is a description. Scoring comes from correctResponse and mapping;
 * custom responseProcessing is not run (a warning says so). Tests, sections and bare
 * responseProcessing documents are rejected: only items are imported.
 */
import type { Element } from '@xmldom/xmldom';
import type { DraftChoice, DraftClozeGap, DraftFeedback, DraftQuestion, DraftQuiz, Position, RichText } from './draft.js';
import { findInteractions, plainTextOf, serializeChildren } from './qti-body.js';
import { checkIdentifier, checkQtiAttributes, creditsOf, readDeclarations, type ResponseDeclaration } from './qti-declarations.js';
import { reason } from './reasons.js';
import { elementChildren, firstChild, localName, parseXml, positionOf } from './xml-document.js';

const QTI_NAMESPACES = /^http:\/\/www\.imsglobal\.org\/xsd\/imsqti_v2p[012]$/;
const STANDARD_TEMPLATES = /\/rptemplates\/(match_correct|map_response|map_response_point)(\.xml)?$/;
const SUPPORTED = 'choiceInteraction, inlineChoiceInteraction, textEntryInteraction, extendedTextInteraction and matchInteraction';
const SINGLE_KINDS = new Set(['choiceInteraction', 'inlineChoiceInteraction', 'textEntryInteraction', 'extendedTextInteraction', 'matchInteraction']);

export function parseQti(text: string): DraftQuiz {
  const xml = parseXml(text, 'This QTI file');
  if (!xml.ok) return { questions: [], errors: xml.errors, warnings: [] };
  const root = xml.root;
  const at = positionOf(root);
  const draft: DraftQuiz = { questions: [], errors: [], warnings: [] };
  const name = localName(root);
  if (name !== 'assessmentItem') {
    const what = name === 'assessmentTest' ? 'a QTI assessmentTest' : name === 'responseProcessing' ? 'a bare <responseProcessing>' : `a <${name}> document`;
    draft.errors.push(
      reason(
        'quiz.not-an-item',
        `This file is ${what}, but lectern imports only single QTI 2.1 items (<assessmentItem>): upload each item as its own .xml file, with its images.`,
        at,
      ),
    );
    return draft;
  }
  const namespace = root.namespaceURI ?? '';
  if (!QTI_NAMESPACES.test(namespace)) {
    draft.errors.push(
      reason(
        'quiz.qti-invalid',
        `The item's namespace is ${namespace ? `'${namespace}'` : 'missing'}: a QTI 2.1 item declares xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1".`,
        at,
      ),
    );
    return draft;
  }
  draft.errors.push(...checkQtiAttributes(root));
  const invalidItemId = checkIdentifier(root.getAttribute('identifier'), '<assessmentItem>', root);
  if (invalidItemId) draft.errors.push(invalidItemId);
  const declarations = readDeclarations(root, draft.errors);
  const question = readItem(root, declarations, draft);
  if (question && draft.errors.length === 0) draft.questions.push(question);
  const title = root.getAttribute('title')?.trim();
  if (title) draft.title = title;
  return draft;
}

function readItem(root: Element, declarations: Map<string, ResponseDeclaration>, draft: DraftQuiz): DraftQuestion | undefined {
  const at = positionOf(root);
  const unsupported = (why: string, where: Position = at): undefined => {
    draft.errors.push(reason('quiz.unsupported-question-type', `${why} lectern supports items with ${SUPPORTED} (several of them as gaps of one question: choice, inline choice and text entry).`, where));
    return undefined;
  };
  if (root.getAttribute('adaptive') === 'true') return unsupported('This is an adaptive item (adaptive="true"), which lectern does not support.');
  if (firstChild(root, 'templateDeclaration') || firstChild(root, 'templateProcessing')) {
    return unsupported('This is a template (randomised) item, which lectern does not support.');
  }
  const body = firstChild(root, 'itemBody');
  if (!body) {
    draft.errors.push(reason('quiz.qti-invalid', 'The item has no <itemBody>: add the question text in an <itemBody>.', at));
    return undefined;
  }
  const interactions = findInteractions(body);
  const unknown = interactions.find((el) => !SINGLE_KINDS.has(localName(el)));
  if (unknown) return unsupported(`The item uses a ${localName(unknown)}, which lectern does not support.`, positionOf(unknown));
  const title = root.getAttribute('title')?.trim();
  const identifier = root.getAttribute('identifier')?.trim();
  const header = { position: at, ...(title ? { title } : {}), ...(identifier ? { explicitId: identifier } : {}) };
  if (interactions.length > 1 || (interactions[0] && localName(interactions[0]) === 'inlineChoiceInteraction')) {
    return gapItem(root, body, interactions, declarations, header, draft);
  }
  const interaction = interactions[0];
  const kind = interaction ? localName(interaction) : undefined;
  checkResponseProcessing(root, interaction, draft);

  const stray: Element[] = [];
  const stemHtml = serializeChildren(body, { ...(interaction ? { interaction } : {}), onFeedback: (el) => stray.push(el) });
  const common = { ...header, stem: { text: stemHtml, format: 'html' as const } };
  if (!interaction) return { ...common, type: 'description' };

  const declaration = declarationOf(interaction, declarations, draft);
  if (!declaration) return undefined;
  let question: DraftQuestion | undefined;
  switch (kind) {
    case 'choiceInteraction':
      question = choiceQuestion(common, interaction, declaration, draft);
      break;
    case 'textEntryInteraction':
      question = textEntryQuestion(common, declaration, draft);
      break;
    case 'matchInteraction':
      question = matchQuestion(common, interaction, declaration, draft);
      break;
    default:
      question = { ...common, type: 'essay' };
  }
  warnStray(stray, draft);
  if (question) question.feedback = { ...question.feedback, ...modalFeedback(root, question) };
  return question;
}

/** Interactions that can be a gap of an item with several of them. */
const GAP_KINDS = new Set(['choiceInteraction', 'textEntryInteraction', 'inlineChoiceInteraction']);

/**
 * An item with several interactions (or an inline choice) is one question whose interactions
 * are gaps, as a Moodle Cloze question's embedded answers are: each is rendered where it stands
 * and scored on its own from its response declaration, weighted by the best score that
 * declaration can give (its mapping, or 1 without one) — what the usual "sum of the responses"
 * processing of such items adds up.
 */
function gapItem(
  root: Element,
  body: Element,
  interactions: Element[],
  declarations: Map<string, ResponseDeclaration>,
  header: Omit<Common, 'stem'>,
  draft: DraftQuiz,
): DraftQuestion | undefined {
  const notGap = interactions.find((el) => !GAP_KINDS.has(localName(el)));
  if (notGap) {
    draft.errors.push(
      reason(
        'quiz.unsupported-question-type',
        `The item has ${interactions.length} interactions, one of them a ${localName(notGap)}: lectern reads an item with several interactions as one question ` +
          'whose interactions are gaps, which works for choiceInteraction, inlineChoiceInteraction and textEntryInteraction only. Split the item, one interaction each.',
        positionOf(notGap),
      ),
    );
    return undefined;
  }
  const gaps: DraftClozeGap[] = [];
  const stray: Element[] = [];
  const seen = new Set<string>();
  for (const interaction of interactions) {
    const declaration = declarationOf(interaction, declarations, draft);
    if (!declaration) continue;
    if (seen.has(declaration.identifier)) {
      draft.errors.push(
        reason(
          'quiz.qti-invalid',
          `Two interactions answer '${declaration.identifier}' (the second at line ${positionOf(interaction).line}): each interaction needs its own <responseDeclaration>.`,
          positionOf(interaction),
        ),
      );
      continue;
    }
    seen.add(declaration.identifier);
    const gap = gapOf(interaction, declaration, draft);
    if (gap) gaps.push(gap);
  }
  if (gaps.length !== interactions.length) return undefined;
  const responseProcessing = firstChild(root, 'responseProcessing');
  if (responseProcessing && elementChildren(responseProcessing).length > 0) {
    draft.warnings.push(
      reason(
        'quiz.ignored-content',
        'The item has custom <responseProcessing>; lectern does not run it and scores each interaction from its <correctResponse> and <mapping>, weighted by its best score.',
        positionOf(responseProcessing),
      ),
    );
  }
  const numbers = new Map(interactions.map((el, i) => [el, i + 1]));
  const stem = serializeChildren(body, { gaps: numbers, onFeedback: (el) => stray.push(el) });
  warnStray(stray, draft);
  const question: DraftQuestion = { ...header, stem: { text: stem, format: 'html' }, type: 'cloze', gaps };
  question.feedback = modalFeedback(root, question);
  return question;
}

function gapOf(interaction: Element, declaration: ResponseDeclaration, draft: DraftQuiz): DraftClozeGap | undefined {
  const weight = bestScore(declaration);
  const stem = { text: '', format: 'html' as const };
  const at = { position: positionOf(interaction), stem };
  switch (localName(interaction)) {
    case 'textEntryInteraction': {
      const q = textEntryQuestion(at, declaration, draft);
      if (q?.type === 'numerical') return { kind: 'numerical', weight, answers: q.answers };
      if (q?.type === 'short-answer') return { kind: 'short-answer', weight, caseSensitive: q.caseSensitive, answers: q.answers };
      return undefined;
    }
    case 'inlineChoiceInteraction': {
      const q = choiceQuestion(at, interaction, declaration, draft, 'inlineChoice');
      return q.type === 'multiple-choice' ? { kind: 'multiple-choice', weight, display: 'dropdown', shuffle: q.shuffle ?? false, choices: q.choices } : undefined;
    }
    default: {
      const q = choiceQuestion(at, interaction, declaration, draft);
      const display = interaction.getAttribute('orientation') === 'horizontal' ? 'horizontal' : 'vertical';
      if (q.type === 'multiple-choice') return { kind: 'multiple-choice', weight, display, shuffle: q.shuffle ?? false, choices: q.choices };
      if (q.type === 'multiple-response') return { kind: 'multiple-response', weight, display, shuffle: q.shuffle ?? false, choices: q.choices };
      return undefined;
    }
  }
}

/** The best score a response declaration gives: its mapping's, else 1 (match_correct). */
function bestScore(declaration: ResponseDeclaration): number {
  const mapping = declaration.mapping;
  if (!mapping) return 1;
  const positives = mapping.entries.map((e) => e.value).filter((v) => v > 0);
  let best = declaration.cardinality === 'multiple' ? positives.reduce((a, b) => a + b, 0) : Math.max(0, ...positives);
  if (mapping.upperBound !== undefined && mapping.upperBound > 0) best = Math.min(best, mapping.upperBound);
  return best > 0 ? best : 1;
}

function declarationOf(interaction: Element, declarations: Map<string, ResponseDeclaration>, draft: DraftQuiz): ResponseDeclaration | undefined {
  const responseId = interaction.getAttribute('responseIdentifier') ?? '';
  const declaration = declarations.get(responseId);
  if (!declaration) {
    draft.errors.push(
      reason(
        'quiz.qti-invalid',
        `The ${localName(interaction)} at line ${positionOf(interaction).line} answers '${responseId}', but no <responseDeclaration> has that identifier: make them match.`,
        positionOf(interaction),
      ),
    );
  }
  return declaration;
}

function warnStray(stray: Element[], draft: DraftQuiz): void {
  if (stray.length === 0) return;
  draft.warnings.push(
    reason('quiz.ignored-content', `The item has ${stray.length} feedbackInline/feedbackBlock element(s) outside its choices; lectern leaves them out.`, positionOf(stray[0])),
  );
}

type Common = Pick<DraftQuestion, 'stem' | 'position' | 'title' | 'explicitId'>;

function choiceQuestion(common: Common, interaction: Element, declaration: ResponseDeclaration, draft: DraftQuiz, choiceName = 'simpleChoice'): DraftQuestion {
  const choices = elementChildren(interaction, choiceName);
  const ids = choices.map((c) => c.getAttribute('identifier') ?? '');
  choices.forEach((c) => {
    const invalid = checkIdentifier(c.getAttribute('identifier'), `<${choiceName}>`, c);
    if (invalid) draft.errors.push(invalid);
  });
  unknownKeys(declaration, ids, draft, choiceName);
  const multiple = declaration.cardinality === 'multiple';
  const credits = creditsOf(declaration, ids, multiple);
  const drafts: DraftChoice[] = choices.map((c, i) => {
    const feedback: Element[] = [];
    const text = serializeChildren(c, { onFeedback: (el) => feedback.push(el) });
    const id = ids[i] ?? '';
    return {
      id,
      text: { text, format: 'html' },
      credit: credits.get(id) ?? 0,
      ...(feedback.length > 0 ? { feedback: { text: feedback.map((f) => serializeChildren(f)).join(' '), format: 'html' } } : {}),
    };
  });
  const shuffle = interaction.getAttribute('shuffle') === 'true';
  return multiple
    ? { ...common, type: 'multiple-response', choices: drafts, allOrNothing: !declaration.mapping, shuffle }
    : { ...common, type: 'multiple-choice', choices: drafts, shuffle };
}

function textEntryQuestion(common: Common, declaration: ResponseDeclaration, draft: DraftQuiz): DraftQuestion | undefined {
  const keys = [...new Set([...declaration.correct, ...(declaration.mapping?.entries.map((e) => e.key) ?? [])])];
  const credits = creditsOf(declaration, keys, false);
  if (declaration.baseType === 'float' || declaration.baseType === 'integer') {
    const answers = [];
    for (const key of keys) {
      const value = Number(key);
      if (key === '' || !Number.isFinite(value)) {
        draft.errors.push(reason('quiz.qti-invalid', `The ${declaration.baseType} response '${key}' is not a number.`, positionOf(declaration.element)));
        continue;
      }
      answers.push({ kind: 'exact' as const, value, tolerance: 0, credit: Math.max(0, credits.get(key) ?? 0) });
    }
    return { ...common, type: 'numerical', answers };
  }
  const caseSensitive = declaration.mapping ? declaration.mapping.entries.some((e) => e.caseSensitive) : true;
  return {
    ...common,
    type: 'short-answer',
    caseSensitive,
    answers: keys.map((key) => ({ text: key, credit: Math.max(0, credits.get(key) ?? 0) })),
  };
}

function matchQuestion(common: Common, interaction: Element, declaration: ResponseDeclaration, draft: DraftQuiz): DraftQuestion | undefined {
  const [sourceSet, targetSet] = elementChildren(interaction, 'simpleMatchSet');
  const sources = new Map(elementChildren(sourceSet ?? interaction, 'simpleAssociableChoice').map((c) => [c.getAttribute('identifier') ?? '', c]));
  const targets = new Map(elementChildren(targetSet ?? interaction, 'simpleAssociableChoice').map((c) => [c.getAttribute('identifier') ?? '', c]));
  const pairs: { prompt: RichText; answer: string }[] = [];
  const used = new Set<string>();
  const matched = new Set<string>();
  for (const value of declaration.correct) {
    const [from = '', to = ''] = value.split(/\s+/);
    const source = sources.get(from);
    const target = targets.get(to);
    if (!source || !target) {
      draft.errors.push(
        reason('quiz.qti-invalid', `The correct pair '${value}' names a choice that is not in the matchInteraction: use '<source id> <target id>'.`, positionOf(declaration.element)),
      );
      continue;
    }
    if (matched.has(from)) {
      draft.errors.push(
        reason('quiz.unsupported-question-type', `The matchInteraction matches '${from}' to more than one target, which lectern's matching questions cannot express.`, positionOf(interaction)),
      );
      continue;
    }
    matched.add(from);
    used.add(to);
    pairs.push({ prompt: { text: serializeChildren(source), format: 'html' }, answer: plainTextOf(target) });
  }
  const unmatched = [...sources.keys()].filter((id) => !matched.has(id));
  if (unmatched.length > 0 && pairs.length > 0) {
    draft.warnings.push(
      reason('quiz.ignored-content', `The matchInteraction's choice(s) ${unmatched.join(', ')} have no correct match and are left out.`, positionOf(interaction)),
    );
  }
  const distractors = [...targets.entries()].filter(([id]) => !used.has(id)).map(([, el]) => plainTextOf(el));
  return { ...common, type: 'matching', pairs, distractors, shuffle: interaction.getAttribute('shuffle') === 'true' };
}

function unknownKeys(declaration: ResponseDeclaration, ids: string[], draft: DraftQuiz, choiceName: string): void {
  const known = new Set(ids);
  const keys = [...declaration.correct, ...(declaration.mapping?.entries.map((e) => e.key) ?? [])];
  for (const key of new Set(keys)) {
    if (!known.has(key)) {
      draft.errors.push(
        reason(
          'quiz.qti-invalid',
          `The <responseDeclaration> '${declaration.identifier}' names '${key}', which is not the identifier of any <${choiceName}>: fix the identifier.`,
          positionOf(declaration.element),
        ),
      );
    }
  }
}

function checkResponseProcessing(root: Element, interaction: Element | undefined, draft: DraftQuiz): void {
  const rp = firstChild(root, 'responseProcessing');
  if (!rp || !interaction) return;
  const template = rp.getAttribute('template') ?? rp.getAttribute('templateLocation') ?? '';
  if (elementChildren(rp).length === 0 && STANDARD_TEMPLATES.test(template)) return;
  if (elementChildren(rp).length === 0 && template === '') return;
  draft.warnings.push(
    reason(
      'quiz.ignored-content',
      'The item has custom <responseProcessing>; lectern does not run it and scores the item from its <correctResponse> and <mapping>.',
      positionOf(rp),
    ),
  );
}

function modalFeedback(root: Element, question: DraftQuestion): DraftFeedback {
  const out: DraftFeedback = {};
  for (const el of elementChildren(root, 'modalFeedback')) {
    const id = (el.getAttribute('identifier') ?? '').trim();
    const html: RichText = { text: serializeChildren(el), format: 'html' };
    if (/^correct$/i.test(id)) out.correct = html;
    else if (/^(incorrect|wrong)$/i.test(id)) out.incorrect = html;
    else if ((question.type === 'multiple-choice' || question.type === 'multiple-response') && question.choices.some((c) => c.id === id)) {
      const choice = question.choices.find((c) => c.id === id);
      if (choice && !choice.feedback) choice.feedback = html;
    } else out.general = out.general ? { text: `${out.general.text} ${html.text}`, format: 'html' } : html;
  }
  return out;
}
