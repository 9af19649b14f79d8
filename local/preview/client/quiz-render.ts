/**
 * A quiz in the preview, rendered from the canonical model (`shared/quiz/model.ts`,
 * docs/quiz-format.md) as a form, and its results as HTML. Rich-text fields are sanitised HTML
 * (inserted as markup); plain-text fields are escaped. Scoring is `quiz-scoring.ts`.
 */
import { countQuestions } from '../../../shared/quiz/count-questions.js';
import type { ClozeGap, Question, QuestionOf, Quiz } from '../../../shared/quiz/model.js';
import { escapeHtml } from './html.js';
import { gapNumbers, gradable, maxPoints, round, type QuestionScore, type QuizScore, type Response } from './quiz-scoring.js';

function formatPoints(n: number): string {
  const r = round(n);
  return `${r} ${r === 1 ? 'point' : 'points'}`;
}

/** A small deterministic PRNG (mulberry32) seeded from a string: the same order on every render. */
function seeded(seedText: string): () => number {
  let seed = 2166136261;
  for (let i = 0; i < seedText.length; i++) seed = Math.imul(seed ^ seedText.charCodeAt(i), 16777619) >>> 0;
  return function next() {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The answers offered in each matching drop-down: pair answers and distractors, once each, shuffled. */
export function matchingOptions(question: QuestionOf<'matching'>): string[] {
  const options = [...new Set([...question.pairs.map((p) => p.answer), ...(question.distractors ?? [])])];
  const random = seeded(question.id);
  for (let i = options.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [options[i], options[j]] = [options[j]!, options[i]!];
  }
  return options;
}

function best<T extends { credit: number }>(items: T[]): T | undefined {
  return items.reduce<T | undefined>((a, b) => (a === undefined || b.credit > a.credit ? b : a), undefined);
}

/** The right answer, as HTML, for a response that was not fully right. */
export function rightAnswer(question: Question): string {
  switch (question.type) {
    case 'multiple-choice':
      return best(question.choices)?.text ?? '';
    case 'multiple-response':
      return question.choices
        .filter((c) => c.credit > 0)
        .map((c) => c.text)
        .join('; ');
    case 'true-false':
      return question.correct ? 'True' : 'False';
    case 'short-answer':
      return escapeHtml(best(question.answers)?.text ?? '');
    case 'numerical': {
      const answer = best(question.answers.filter((a) => a.kind !== 'any'));
      if (answer?.kind === 'exact') return escapeHtml(answer.tolerance ? `${answer.value} ± ${answer.tolerance}` : String(answer.value));
      if (answer?.kind === 'range') return escapeHtml(`between ${answer.min} and ${answer.max}`);
      return '';
    }
    case 'matching':
      return question.pairs.map((p) => `${inlineHtml(p.prompt)} → ${escapeHtml(p.answer)}`).join('; ');
    case 'cloze':
      return question.gaps.map((gap, k) => `gap ${k + 1}: ${gapRightAnswer(gap)}`).join('; ');
    case 'drag-drop-text':
    case 'select-missing-words':
      return gapNumbers(question.stem)
        .map((n, k) => `gap ${k + 1}: ${escapeHtml(question.choices[n - 1]?.text ?? '')}`)
        .join('; ');
    default:
      return '';
  }
}

/** One Cloze gap's right answer, as HTML. */
function gapRightAnswer(gap: ClozeGap): string {
  switch (gap.kind) {
    case 'short-answer':
      return escapeHtml(best(gap.answers)?.text ?? '');
    case 'numerical':
      return rightAnswer({ type: 'numerical', answers: gap.answers } as QuestionOf<'numerical'>);
    case 'multiple-choice':
      return best(gap.choices)?.text ?? '';
    case 'multiple-response':
      return gap.choices
        .filter((c) => c.credit > 0)
        .map((c) => c.text)
        .join(', ');
  }
}

const STATE_TEXT: Record<QuestionScore['state'], string> = { correct: 'Correct', partial: 'Partly correct', incorrect: 'Incorrect', unanswered: 'Not answered', ungraded: 'Not scored' };

export function renderResult(question: Question, result: QuestionScore): string {
  if (!result.gradable) {
    return question.type === 'essay' ? '<p class="result result-ungraded"><strong>Not scored</strong> — a person grades essays.</p>' : '';
  }
  const head = `<p class="result result-${result.state}"><strong>${STATE_TEXT[result.state]}</strong> — <span class="result-points">${escapeHtml(round(result.points))} / ${escapeHtml(round(result.max))}</span> ${result.max === 1 ? 'point' : 'points'}${
    result.note ? `. ${escapeHtml(result.note)}` : ''
  }</p>`;
  const right = result.state !== 'correct' ? rightAnswer(question) : '';
  const answer = right ? `<p class="right-answer"><span class="label">Right answer:</span> <span class="rich">${right}</span></p>` : '';
  const feedback = result.feedback.length ? `<div class="feedback">${result.feedback.map((f) => `<div class="rich">${f}</div>`).join('')}</div>` : '';
  return head + answer + feedback;
}

export function renderTotal(total: QuizScore): string {
  const essay = total.ungraded ? ` · ${total.ungraded} ${total.ungraded === 1 ? 'essay' : 'essays'} not scored` : '';
  return `<strong>Score: ${escapeHtml(total.points)} of ${escapeHtml(formatPoints(total.max))}</strong> (${total.percent}%) · ${total.answered} of ${total.questions} questions answered${essay}`;
}

/**
 * Rich text to show within a line: paragraph and div wrappers dropped (Moodle XML wraps nearly
 * every matching prompt in <p>, which put each pair of the right answer on lines of its own),
 * inline markup, images and formulas kept.
 */
export function inlineHtml(html: string): string {
  return html
    .replace(/<\/(p|div)>\s*<(p|div)\b[^>]*>/gi, ' ')
    .replace(/<\/?(p|div)\b[^>]*>/gi, '')
    .trim();
}

/** Essay templates are HTML; a textarea holds text. */
function htmlToText(html: string): string {
  return String(html)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function controls(q: Question, base: string): string {
  const name = base;
  switch (q.type) {
    case 'multiple-choice':
    case 'multiple-response': {
      const type = q.type === 'multiple-choice' ? 'radio' : 'checkbox';
      const items = q.choices
        .map((c, j) => `<div class="choice"><input type="${type}" id="${base}-c${j}" name="${name}" value="${escapeHtml(c.id)}"><label for="${base}-c${j}" class="rich">${c.text}</label></div>`)
        .join('');
      const hint = q.type === 'multiple-response' ? '<p class="hint">Select every answer that applies.</p>' : '';
      return `${hint}<div class="choices">${items}</div>${q.shuffle ? '<p class="hint">Students see these options in a shuffled order.</p>' : ''}`;
    }
    case 'true-false':
      return `<div class="choices choices-inline"><div class="choice"><input type="radio" id="${base}-true" name="${name}" value="true"><label for="${base}-true">True</label></div><div class="choice"><input type="radio" id="${base}-false" name="${name}" value="false"><label for="${base}-false">False</label></div></div>`;
    case 'short-answer':
      return `<div class="field"><label for="${base}-text">Your answer</label><input type="text" id="${base}-text" name="${name}" autocomplete="off" spellcheck="false"></div>`;
    case 'numerical':
      return `<div class="field"><label for="${base}-number">Your answer (a number)</label><input type="text" inputmode="decimal" id="${base}-number" name="${name}" autocomplete="off"></div>`;
    case 'matching': {
      const options = matchingOptions(q)
        .map((text) => `<option value="${escapeHtml(text)}">${escapeHtml(text)}</option>`)
        .join('');
      const rows = q.pairs
        .map((p, k) => `<div class="match-row"><label for="${base}-m${k}" class="match-prompt rich">${inlineHtml(p.prompt)}</label><select id="${base}-m${k}" name="${name}-m${k}"><option value="">Choose…</option>${options}</select></div>`)
        .join('');
      return `<div class="matching">${rows}</div>`;
    }
    case 'essay':
      return `<div class="field"><label for="${base}-essay">Your answer</label><textarea id="${base}-essay" name="${name}" rows="6">${escapeHtml(q.responseTemplate ? htmlToText(q.responseTemplate) : '')}</textarea></div>${
        q.graderInfo ? `<details class="grader-info"><summary>Information for graders (students do not see this)</summary><div class="rich">${q.graderInfo}</div></details>` : ''
      }`;
    default:
      return '';
  }
}

/** The control of Cloze gap `k`, named `${base}-g${k}`, to put where the stem says {#k+1}. */
function clozeGap(gap: ClozeGap, base: string, k: number): string {
  const name = `${base}-g${k}`;
  const label = `aria-label="Gap ${k + 1}"`;
  switch (gap.kind) {
    case 'short-answer':
      return `<input type="text" class="gap" name="${name}" ${label} autocomplete="off" spellcheck="false">`;
    case 'numerical':
      return `<input type="text" class="gap gap-number" inputmode="decimal" name="${name}" ${label} autocomplete="off">`;
    case 'multiple-choice':
    case 'multiple-response': {
      if (gap.kind === 'multiple-choice' && gap.display === 'dropdown') {
        const options = gap.choices.map((c) => `<option value="${escapeHtml(c.id)}">${escapeHtml(htmlToText(c.text))}</option>`).join('');
        return `<select class="gap" name="${name}" ${label}><option value="">Choose…</option>${options}</select>`;
      }
      const type = gap.kind === 'multiple-choice' ? 'radio' : 'checkbox';
      const items = gap.choices
        .map((c, j) => `<span class="choice"><input type="${type}" id="${name}-c${j}" name="${name}" value="${escapeHtml(c.id)}"><label for="${name}-c${j}" class="rich">${c.text}</label></span>`)
        .join('');
      return `<span class="gap-choices gap-${gap.display}" role="group" ${label}>${items}</span>`;
    }
  }
}

/**
 * A drag-drop-text or select-missing-words gap: a drop-down of the choices of the right choice's
 * group (Moodle accepts only those in a gap). In a drag-drop-text question the words of the pool
 * can also be dragged onto a gap (main.ts), which sets this same drop-down: the keyboard and
 * screen-reader way and the mouse way give one answer.
 */
function wordGap(q: QuestionOf<'drag-drop-text' | 'select-missing-words'>, right: number, name: string, k: number): string {
  const group = q.choices[right - 1]?.group;
  const options = q.choices
    .map((c, j) => (c.group === group ? `<option value="${j + 1}">${escapeHtml(c.text)}</option>` : ''))
    .join('');
  return `<select class="gap" name="${name}" aria-label="Gap ${k + 1}" data-group="${group ?? ''}"><option value="">Choose…</option>${options}</select>`;
}

/** Drag and drop: the words to place, shown as Moodle shows its draggable boxes. */
function wordPool(q: Question): string {
  if (q.type !== 'drag-drop-text') return '';
  const words = q.choices.map((c, j) => `<li draggable="true" data-choice="${j + 1}" data-group="${c.group}">${escapeHtml(c.text)}</li>`).join('');
  return `<div class="word-pool"><p class="hint">Words to place: drag each into its gap, or pick it from the gap's list (keyboard and screen readers):</p><ul>${words}</ul></div>`;
}

/** The stem with each gap's control in place: Cloze {#n}, drag-drop-text and select-missing-words [[n]]. */
function stemWithGaps(q: Question, base: string): string {
  if (q.type === 'cloze') {
    return q.stem.replace(/\{#(\d+)\}/g, (whole, n: string) => {
      const gap = q.gaps[Number(n) - 1];
      return gap ? clozeGap(gap, base, Number(n) - 1) : whole;
    });
  }
  if (q.type === 'drag-drop-text' || q.type === 'select-missing-words') {
    let k = 0;
    return q.stem.replace(/\[\[(\d+)\]\]/g, (_, n: string) => wordGap(q, Number(n), `${base}-g${k}`, k++));
  }
  return q.stem;
}

/** The whole quiz as a form; `prefix` makes its ids unique on the page. */
export function renderQuiz(quiz: Quiz, prefix: string, options: { fallbackTitle?: string } = {}): string {
  const total = quiz.questions.filter(gradable).reduce((sum, q) => sum + maxPoints(q), 0);
  const count = countQuestions(quiz);
  let number = 0;
  const items = quiz.questions
    .map((q, i) => {
      const base = `${prefix}-q${i}`;
      if (q.type === 'description') return `<li class="question q-description" data-index="${i}"><div class="q-stem rich">${q.stem}</div></li>`;
      number++;
      const points = gradable(q) ? formatPoints(maxPoints(q)) : 'not scored';
      return `<li class="question q-${escapeHtml(q.type)}" data-index="${i}" id="${base}"><fieldset aria-describedby="${base}-stem"><legend><span class="q-number">Question ${number}</span><span class="q-points">${escapeHtml(points)}</span>${
        q.title ? `<span class="q-name">${escapeHtml(q.title)}</span>` : ''
      }</legend><div class="q-stem rich" id="${base}-stem">${stemWithGaps(q, base)}</div>${wordPool(q)}${controls(q, base)}${
        gradable(q) ? `<div class="q-actions"><button type="button" class="button-secondary" data-check="${i}">Check answer</button></div>` : ''
      }<div class="q-result" id="${base}-result" role="status" aria-live="polite"></div></fieldset></li>`;
    })
    .join('');
  // The file's card already shows the quiz's title: the form is named by it, not headed again.
  const label = `aria-label="${escapeHtml(quiz.title || options.fallbackTitle || 'Quiz')}"`;
  const head = `<div class="quiz-head"><p class="quiz-intro">${count} ${count === 1 ? 'question' : 'questions'}, ${escapeHtml(
    formatPoints(total),
  )} in all. Answer as a student would, then check each question or all of them.</p></div>`;
  return `<form class="quiz" id="${prefix}-form" novalidate ${label}>${head}<ol class="questions">${items}</ol><div class="quiz-footer"><div class="quiz-buttons"><button type="submit">Check all answers</button><button type="reset" class="button-secondary">Start again</button></div><p class="quiz-total" id="${prefix}-total" role="status" aria-live="polite"></p></div></form>`;
}

/** What `readResponse` needs of the rendered form: the DOM's querySelector(All) over form fields. */
export interface FormLike {
  querySelector(selector: string): { value: string } | null;
  querySelectorAll(selector: string): Iterable<{ value: string }>;
}

/** Reads the response to question `index` from the rendered form. */
export function readResponse(form: FormLike, question: Question, index: number, prefix: string): Response {
  const base = `${prefix}-q${index}`;
  const checked = () => Array.from(form.querySelectorAll(`input[name="${base}"]:checked`)).map((el) => el.value);
  switch (question.type) {
    case 'multiple-choice':
      return checked()[0];
    case 'multiple-response':
      return checked();
    case 'true-false': {
      const value = checked()[0];
      return value === undefined ? undefined : value === 'true';
    }
    case 'short-answer':
    case 'numerical':
    case 'essay':
      return form.querySelector(`[name="${base}"]`)?.value;
    case 'matching':
      return question.pairs.map((_, k) => form.querySelector(`[name="${base}-m${k}"]`)?.value || undefined);
    case 'cloze':
      return question.gaps.map((gap, k) => {
        const name = `${base}-g${k}`;
        if (gap.kind === 'multiple-response') return Array.from(form.querySelectorAll(`input[name="${name}"]:checked`)).map((el) => el.value);
        if (gap.kind === 'multiple-choice' && gap.display !== 'dropdown') return form.querySelector(`input[name="${name}"]:checked`)?.value;
        return form.querySelector(`[name="${name}"]`)?.value || undefined;
      });
    case 'drag-drop-text':
    case 'select-missing-words':
      return gapNumbers(question.stem).map((_, k) => form.querySelector(`[name="${base}-g${k}"]`)?.value || undefined);
    default:
      return undefined;
  }
}
