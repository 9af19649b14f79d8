/**
 * QTI 2.1 items (`assessmentItem`). Supported interactions: choiceInteraction (single →
 * multiple-choice, multiple → multiple-response), textEntryInteraction (string → short-answer,
 * float/integer → numerical), extendedTextInteraction (essay) and matchInteraction (matching);
 * an item with no interaction is a description. Scoring comes from correctResponse and mapping;
 * custom responseProcessing is not run (a warning says so). Tests, sections and bare
 * responseProcessing documents are rejected: only items are imported.
 */
import type { Element } from '@xmldom/xmldom';
import type { DraftChoice, DraftFeedback, DraftQuestion, DraftQuiz, Position, RichText } from './draft.js';
import { findInteractions, plainTextOf, serializeChildren } from './qti-body.js';
import { checkIdentifier, checkQtiAttributes, creditsOf, readDeclarations, type ResponseDeclaration } from './qti-declarations.js';
import { reason } from './reasons.js';
import { elementChildren, firstChild, localName, parseXml, positionOf } from './xml-document.js';

const QTI_NAMESPACES = /^http:\/\/www\.imsglobal\.org\/xsd\/imsqti_v2p[012]$/;
const STANDARD_TEMPLATES = /\/rptemplates\/(match_correct|map_response|map_response_point)(\.xml)?$/;
const SUPPORTED = 'choiceInteraction, textEntryInteraction, extendedTextInteraction and matchInteraction';

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
    draft.errors.push(reason('quiz.unsupported-question-type', `${why} lectern supports items with one ${SUPPORTED}.`, where));
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
  if (interactions.length > 1) return unsupported(`The item has ${interactions.length} interactions.`, positionOf(interactions[1]));
  const interaction = interactions[0];
  const kind = interaction ? localName(interaction) : undefined;
  if (interaction && !['choiceInteraction', 'textEntryInteraction', 'extendedTextInteraction', 'matchInteraction'].includes(kind ?? '')) {
    return unsupported(`The item uses a ${kind}, which lectern does not support.`, positionOf(interaction));
  }
  checkResponseProcessing(root, interaction, draft);

  const stray: Element[] = [];
  const stemHtml = serializeChildren(body, { ...(interaction ? { interaction } : {}), onFeedback: (el) => stray.push(el) });
  const title = root.getAttribute('title')?.trim();
  const identifier = root.getAttribute('identifier')?.trim();
  const common = {
    stem: { text: stemHtml, format: 'html' as const },
    position: at,
    ...(title ? { title } : {}),
    ...(identifier ? { explicitId: identifier } : {}),
  };
  if (!interaction) return { ...common, type: 'description' };

  const responseId = interaction.getAttribute('responseIdentifier') ?? '';
  const declaration = declarations.get(responseId);
  if (!declaration) {
    draft.errors.push(
      reason(
        'quiz.qti-invalid',
        `The ${kind} at line ${positionOf(interaction).line} answers '${responseId}', but no <responseDeclaration> has that identifier: make them match.`,
        positionOf(interaction),
      ),
    );
    return undefined;
  }
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
  if (stray.length > 0) {
    draft.warnings.push(
      reason('quiz.ignored-content', `The item has ${stray.length} feedbackInline/feedbackBlock element(s) outside its choices; lectern leaves them out.`, positionOf(stray[0])),
    );
  }
  if (question) question.feedback = { ...question.feedback, ...modalFeedback(root, question) };
  return question;
}

type Common = Pick<DraftQuestion, 'stem' | 'position' | 'title' | 'explicitId'>;

function choiceQuestion(common: Common, interaction: Element, declaration: ResponseDeclaration, draft: DraftQuiz): DraftQuestion {
  const choices = elementChildren(interaction, 'simpleChoice');
  const ids = choices.map((c) => c.getAttribute('identifier') ?? '');
  choices.forEach((c) => {
    const invalid = checkIdentifier(c.getAttribute('identifier'), '<simpleChoice>', c);
    if (invalid) draft.errors.push(invalid);
  });
  unknownKeys(declaration, ids, draft);
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

function unknownKeys(declaration: ResponseDeclaration, ids: string[], draft: DraftQuiz): void {
  const known = new Set(ids);
  const keys = [...declaration.correct, ...(declaration.mapping?.entries.map((e) => e.key) ?? [])];
  for (const key of new Set(keys)) {
    if (!known.has(key)) {
      draft.errors.push(
        reason(
          'quiz.qti-invalid',
          `The <responseDeclaration> '${declaration.identifier}' names '${key}', which is not the identifier of any <simpleChoice>: fix the identifier.`,
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
