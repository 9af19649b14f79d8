/**
 * Moodle XML (`<quiz><question type="…">…`). Supported types: multichoice, truefalse,
 * shortanswer, numerical, matching, essay, description, cloze/multianswer (embedded answers),
 * ddwtos (drag and drop into text), gapselect (select missing words), and category (sets the
 * category of the questions after it). Any other type (calculated, ddmarker, …) is reported on
 * its line; `unsupported` decides whether the rest is published (with a warning) or the file is
 * rejected.
 */
import type { Element } from '@xmldom/xmldom';
import { normaliseCategory } from './category-path.js';
import type { DraftFeedback, DraftNumericalAnswer, DraftQuestion, DraftQuiz, Numbering, Position, RichText } from './draft.js';
import type { EssayResponse, GapChoice, TextFormat } from './model.js';
import { isMoodleGrade, moodleGradeList } from './moodle-grades.js';
import { EmbeddedFiles } from './embedded-files.js';
import { parseClozeText } from './parse-cloze.js';
import { excerpt, questionLabel, reason } from './reasons.js';
import { elementChildren, firstChild, localName, parseXml, positionOf, textContent } from './xml-document.js';

export interface MoodleXmlOptions {
  maxQuestions: number;
  /** A question type lectern cannot represent: 'skip' it with a warning, or 'reject' the file. */
  unsupported: UnsupportedPolicy;
}

export type UnsupportedPolicy = 'skip' | 'reject';

const SUPPORTED = new Set([
  'multichoice', 'truefalse', 'shortanswer', 'numerical', 'matching', 'essay', 'description',
  'cloze', 'multianswer', 'ddwtos', 'gapselect',
]);
const NUMBERING = new Set(['abc', 'ABCD', '123', 'iii', 'IIII', 'none']);
const RESPONSE_FORMATS = new Set(['editor', 'editorfilepicker', 'plain', 'monospaced', 'noinline']);
const TYPE_NAMES: Record<string, string> = {
  cloze: 'Cloze (embedded answers)',
  multianswer: 'Cloze (embedded answers)',
  calculated: 'calculated',
  calculatedsimple: 'simple calculated',
  calculatedmulti: 'calculated multichoice',
  ddmarker: 'drag and drop markers',
  ddimageortext: 'drag and drop onto image',
  ddwtos: 'drag and drop into text',
  gapselect: 'select missing words',
  randomsamatch: 'random short-answer matching',
  ordering: 'ordering',
  random: 'random',
};

export function parseMoodleXml(text: string, options: MoodleXmlOptions): DraftQuiz {
  const xml = parseXml(text, 'This Moodle XML file');
  if (!xml.ok) return { questions: [], errors: xml.errors, warnings: [] };
  if (localName(xml.root) !== 'quiz') {
    return {
      questions: [],
      errors: [reason('quiz.unknown-format', `The root element is <${localName(xml.root)}>, not <quiz>: this is not Moodle XML.`, positionOf(xml.root))],
      warnings: [],
    };
  }
  const elements = elementChildren(xml.root, 'question');
  const count = elements.filter((q) => q.getAttribute('type') !== 'category').length;
  if (count > options.maxQuestions) {
    return {
      questions: [],
      errors: [reason('quiz.too-many-questions', `The file has ${count} questions; the limit is ${options.maxQuestions}. Split it into several quiz files.`)],
      warnings: [],
    };
  }
  const draft: DraftQuiz = { questions: [], errors: [], warnings: [] };
  const files = new EmbeddedFiles();
  let category: string | undefined;
  let index = 0;
  for (const el of elements) {
    const type = (el.getAttribute('type') ?? '').trim().toLowerCase();
    if (type === 'category') {
      category = normaliseCategory(textContent(firstChild(firstChild(el, 'category'), 'text')) ?? '');
      continue;
    }
    const reader = new QuestionReader(el, index, draft, files);
    index++;
    if (!SUPPORTED.has(type)) {
      const unsupported = reader.unsupported(type, options.unsupported);
      (options.unsupported === 'skip' ? draft.warnings : draft.errors).push(unsupported);
      continue;
    }
    const question = reader.read(type, category);
    if (question) draft.questions.push({ ...question, number: index });
  }
  if (elements.length === 0) {
    draft.errors.push(reason('quiz.no-questions', 'The <quiz> element contains no <question> elements.', positionOf(xml.root)));
  }
  const published = files.list();
  return published.length > 0 ? { ...draft, files: published } : draft;
}

/** Reads one <question>, reporting its problems with its own line. */
class QuestionReader {
  private readonly position: Position;
  private readonly name: string | undefined;

  constructor(
    private readonly el: Element,
    private readonly index: number,
    private readonly draft: DraftQuiz,
    private readonly files: EmbeddedFiles,
  ) {
    this.position = positionOf(el);
    const name = textContent(firstChild(firstChild(el, 'name'), 'text'))?.trim();
    this.name = name || undefined;
  }

  /** Every `<file>` of the question, published beside the quiz (problems are warnings on its line). */
  private readFiles(): void {
    for (const file of Array.from(this.el.getElementsByTagName('file'))) {
      const name = file.getAttribute('name') ?? '';
      const encoding = (file.getAttribute('encoding') ?? 'base64').toLowerCase();
      const added = encoding === 'base64' && name ? this.files.add(name, textContent(file) ?? '') : { problem: 'a <file> without a name or base64 content is not published' };
      if ('problem' in added) {
        this.draft.warnings.push(reason('quiz.ignored-content', `${this.label}: ${added.problem}.`, positionOf(file)));
      }
    }
  }

  private get label(): string {
    const stem = textContent(firstChild(firstChild(this.el, 'questiontext'), 'text'));
    return questionLabel(this.index, this.name ?? (stem ? excerpt(stem) : undefined), this.position);
  }

  unsupported(type: string, policy: UnsupportedPolicy): ReturnType<typeof reason> {
    const what = type ? `a Moodle '${TYPE_NAMES[type] ?? type}' question` : 'a <question> without a type attribute';
    const outcome = policy === 'skip' ? 'The rest of the quiz is published without it. ' : '';
    return reason(
      'quiz.unsupported-question-type',
      `${this.label} is ${what}, which lectern does not support. ${outcome}` +
        'Convert it to a supported type (multichoice, truefalse, shortanswer, numerical, matching, essay, description, cloze, ddwtos, gapselect), or remove it from the file.',
      this.position,
    );
  }

  read(type: string, category: string | undefined): DraftQuestion | undefined {
    const el = this.el;
    this.readFiles();
    const stem = this.rich(firstChild(el, 'questiontext')) ?? { text: '', format: 'html' };
    const idnumber = textContent(firstChild(el, 'idnumber'))?.trim();
    const points = Number(textContent(firstChild(el, 'defaultgrade'))?.trim() ?? '');
    const penaltyText = textContent(firstChild(el, 'penalty'))?.trim();
    const penalty = penaltyText ? Number(penaltyText) : Number.NaN;
    const tags = elementChildren(firstChild(el, 'tags') ?? el, 'tag')
      .map((t) => textContent(firstChild(t, 'text'))?.trim() ?? '')
      .filter((t) => t !== '');
    const common = {
      stem,
      position: this.position,
      feedback: this.feedback(),
      ...(this.name ? { title: this.name } : {}),
      ...(idnumber ? { explicitId: idnumber } : {}),
      ...(category ? { category } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(Number.isFinite(points) && points > 0 ? { points } : {}),
      ...(Number.isFinite(penalty) && penalty >= 0 && penalty <= 1 ? { penalty } : {}),
    };
    if (firstChild(el, 'image') || firstChild(el, 'image_base64')) {
      this.draft.warnings.push(
        reason('quiz.ignored-content', `${this.label} has an old-style <image>, which lectern ignores: put the image in the question text instead.`, this.position),
      );
    }
    return this.typed(type, common);
  }

  private typed(type: string, common: Omit<DraftQuestion, 'type'>): DraftQuestion | undefined {
    const el = this.el;
    const shuffle = bool(textContent(firstChild(el, 'shuffleanswers')));
    switch (type) {
      case 'multichoice': {
        const single = bool(textContent(firstChild(el, 'single'))) ?? true;
        const choices = this.answers().map((a) => ({ text: a.text, credit: a.credit, ...(a.feedback ? { feedback: a.feedback } : {}) }));
        const numbering = textContent(firstChild(el, 'answernumbering'))?.trim();
        const base = {
          ...common,
          choices,
          ...(shuffle === undefined ? {} : { shuffle }),
          ...(numbering && NUMBERING.has(numbering) ? { numbering: numbering as Numbering } : {}),
        };
        return single ? { ...base, type: 'multiple-choice' } : { ...base, type: 'multiple-response', allOrNothing: false };
      }
      case 'truefalse': {
        const answers = this.answers();
        const truthy = answers.find((a) => a.raw.trim().toLowerCase() === 'true');
        const falsy = answers.find((a) => a.raw.trim().toLowerCase() === 'false');
        if (!truthy || !falsy) {
          this.draft.errors.push(
            reason('quiz.syntax', `${this.label} is a truefalse question without both a 'true' and a 'false' <answer>: add them, one with fraction="100".`, this.position),
          );
          return undefined;
        }
        if (Math.max(truthy.credit, falsy.credit) < 100) {
          this.draft.errors.push(
            reason('quiz.no-correct-answer', `${this.label} has no correct answer: give the right one of its 'true' and 'false' answers fraction="100" (Moodle XML).`, this.position),
          );
          return undefined;
        }
        return {
          ...common,
          type: 'true-false',
          correct: truthy.credit >= falsy.credit,
          ...(truthy.feedback ? { trueFeedback: truthy.feedback } : {}),
          ...(falsy.feedback ? { falseFeedback: falsy.feedback } : {}),
        };
      }
      case 'shortanswer':
        return {
          ...common,
          type: 'short-answer',
          caseSensitive: bool(textContent(firstChild(el, 'usecase'))) ?? false,
          answers: this.answers().map((a) => ({ text: a.raw.trim(), credit: a.credit, ...(a.feedback ? { feedback: a.feedback } : {}) })),
        };
      case 'numerical':
        return { ...common, type: 'numerical', answers: this.numericalAnswers() };
      case 'matching':
        return { ...common, ...this.matching(), ...(shuffle === undefined ? {} : { shuffle }) };
      case 'essay': {
        const template = this.rich(firstChild(el, 'responsetemplate'));
        const grader = this.rich(firstChild(el, 'graderinfo'));
        const response = this.essayResponse();
        return {
          ...common,
          type: 'essay',
          ...(template ? { responseTemplate: template } : {}),
          ...(grader ? { graderInfo: grader } : {}),
          ...(response ? { response } : {}),
        };
      }
      case 'cloze':
      case 'multianswer':
        return this.cloze(common);
      case 'ddwtos':
      case 'gapselect':
        return {
          ...common,
          type: type === 'ddwtos' ? 'drag-drop-text' : 'select-missing-words',
          choices: this.gapChoices(type === 'ddwtos' ? 'dragbox' : 'selectoption'),
          ...(shuffle === undefined ? {} : { shuffle }),
        };
      default:
        return { ...common, type: 'description' };
    }
  }

  /** Embedded answers: the gaps are read from the question text itself. */
  private cloze(common: Omit<DraftQuestion, 'type'>): DraftQuestion | undefined {
    const parsed = parseClozeText(common.stem.text, common.stem.format);
    for (const problem of parsed.problems) this.draft.errors.push(reason(problem.code, `${this.label}: ${problem.message}.`, this.position));
    if (parsed.gaps.length === 0) {
      this.draft.errors.push(
        reason(
          'quiz.syntax',
          `${this.label} is an embedded answers (Cloze) question without any gap: write gaps such as {1:SHORTANSWER:=Paris} or {1:MULTICHOICE:=yes~no} in its text.`,
          this.position,
        ),
      );
      return undefined;
    }
    return { ...common, stem: { ...common.stem, text: parsed.stem }, type: 'cloze', gaps: parsed.gaps };
  }

  /** `<dragbox>` / `<selectoption>`: `<text>`, `<group>`, `<infinite/>`. */
  private gapChoices(element: string): GapChoice[] {
    return elementChildren(this.el, element).map((box) => {
      const group = Number(textContent(firstChild(box, 'group'))?.trim() || '1');
      return {
        text: textContent(firstChild(box, 'text'))?.trim() ?? '',
        group: Number.isInteger(group) && group >= 1 ? group : 1,
        ...(firstChild(box, 'infinite') ? { unlimited: true } : {}),
      };
    });
  }

  /** Moodle's essay options; absent when the file gives none of them. */
  private essayResponse(): EssayResponse | undefined {
    const value = (name: string): string | undefined => textContent(firstChild(this.el, name))?.trim() || undefined;
    const int = (name: string, fallback: number): number => {
      const n = Number(value(name));
      return Number.isInteger(n) ? n : fallback;
    };
    const format = value('responseformat');
    const names = ['responseformat', 'responserequired', 'responsefieldlines', 'attachments', 'attachmentsrequired', 'minwordlimit', 'maxwordlimit', 'filetypeslist'];
    if (!names.some((n) => value(n) !== undefined)) return undefined;
    const minWords = int('minwordlimit', 0);
    const maxWords = int('maxwordlimit', 0);
    const fileTypes = (value('filetypeslist') ?? '').split(/[\s,;]+/).filter((t) => t !== '');
    return {
      format: format && RESPONSE_FORMATS.has(format) ? (format as EssayResponse['format']) : 'editor',
      required: int('responserequired', 1) !== 0,
      lines: Math.max(1, int('responsefieldlines', 15)),
      attachments: Math.max(-1, int('attachments', 0)),
      attachmentsRequired: Math.max(0, int('attachmentsrequired', 0)),
      ...(minWords > 0 ? { minWords } : {}),
      ...(maxWords > 0 ? { maxWords } : {}),
      ...(fileTypes.length > 0 ? { fileTypes } : {}),
    };
  }

  private answers(): { raw: string; text: RichText; credit: number; feedback?: RichText; position: Position }[] {
    return elementChildren(this.el, 'answer').map((a) => {
      const position = positionOf(a);
      const fraction = (a.getAttribute('fraction') ?? '0').trim();
      let credit = Number(fraction);
      if (fraction === '' || !Number.isFinite(credit)) {
        this.draft.errors.push(reason('quiz.invalid-grade', `${this.label}: the answer at line ${position.line} has fraction="${fraction}", which is not a number.`, position));
        credit = 0;
      } else if (!isMoodleGrade(credit)) {
        this.draft.errors.push(
          reason(
            'quiz.invalid-grade',
            `${this.label}: the answer at line ${position.line} has fraction="${fraction}", which is not a Moodle grade. ` +
              `Use one of ${moodleGradeList()} (or a negative of one), e.g. 33.33333 for a third.`,
            position,
          ),
        );
      }
      const raw = textContent(firstChild(a, 'text')) ?? '';
      const feedback = this.rich(firstChild(a, 'feedback'));
      return { raw, text: this.textOf(raw, a), credit, position, ...(feedback ? { feedback } : {}) };
    });
  }

  private numericalAnswers(): DraftNumericalAnswer[] {
    const units = elementChildren(firstChild(this.el, 'units') ?? this.el, 'unit');
    if (units.length > 0) {
      this.draft.warnings.push(
        reason('quiz.ignored-content', `${this.label} defines units, which lectern ignores: learners answer with the number only.`, this.position),
      );
    }
    const answers: DraftNumericalAnswer[] = [];
    for (const [i, a] of this.answers().entries()) {
      const el = elementChildren(this.el, 'answer')[i];
      const value = a.raw.trim();
      const feedback = a.feedback ? { feedback: a.feedback } : {};
      const credit = Math.max(0, a.credit);
      if (value === '*') {
        answers.push({ kind: 'any', credit, ...feedback });
        continue;
      }
      const number = parseNumber(value);
      const tolerance = parseNumber(textContent(firstChild(el, 'tolerance'))?.trim() || '0');
      if (number === undefined || tolerance === undefined) {
        this.draft.errors.push(
          reason('quiz.syntax', `${this.label}: the numerical answer '${excerpt(value, 30)}' at line ${a.position.line} is not a number (or its tolerance is not): write digits such as 3.14.`, a.position),
        );
        continue;
      }
      answers.push({ kind: 'exact', value: number, tolerance: Math.abs(tolerance), credit, ...feedback });
    }
    return answers;
  }

  private matching(): Pick<Extract<DraftQuestion, { type: 'matching' }>, 'type' | 'pairs' | 'distractors'> {
    const pairs: { prompt: RichText; answer: string }[] = [];
    const distractors: string[] = [];
    for (const sub of elementChildren(this.el, 'subquestion')) {
      const prompt = this.rich(sub) ?? { text: '', format: 'html' as TextFormat };
      const answer = textContent(firstChild(firstChild(sub, 'answer'), 'text'))?.trim() ?? '';
      if (prompt.text.trim() === '') distractors.push(answer);
      else pairs.push({ prompt, answer });
    }
    return { type: 'matching', pairs, distractors };
  }

  private feedback(): DraftFeedback {
    const out: DraftFeedback = {};
    const pick = (key: keyof DraftFeedback, element: string): void => {
      const rich = this.rich(firstChild(this.el, element));
      if (rich && rich.text.trim() !== '') out[key] = rich;
    };
    pick('general', 'generalfeedback');
    pick('correct', 'correctfeedback');
    pick('partiallyCorrect', 'partiallycorrectfeedback');
    pick('incorrect', 'incorrectfeedback');
    return out;
  }

  /** `<x format="…"><text>…</text><file …/></x>` → rich text (undefined when the element is absent). */
  private rich(el: Element | undefined): RichText | undefined {
    if (!el) return undefined;
    const raw = textContent(firstChild(el, 'text')) ?? '';
    return this.textOf(raw, el);
  }

  /** `@@PLUGINFILE@@/name` links to an embedded file become its published name; others lose the prefix. */
  private textOf(raw: string, el: Element): RichText {
    const text = raw.replace(/@@PLUGINFILE@@\/([^"'\s<>)]*)/g, (_, path: string) => this.files.nameOf(decodePath(path)) ?? path).trim();
    return { text, format: moodleFormat(el.getAttribute('format')) };
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function moodleFormat(format: string | null): TextFormat {
  switch ((format ?? '').trim()) {
    case 'html':
      return 'html';
    case 'plain_text':
      return 'plain';
    case 'markdown':
      return 'markdown';
    default:
      return 'moodle';
  }
}

function bool(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

function parseNumber(value: string): number | undefined {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? Number(value) : undefined;
}
