/**
 * A quiz in the preview: rendered from the canonical model (`shared/quiz/model.ts`,
 * docs/quiz-format.md) and scored in the page the way docs/quiz-format.md defines credit:
 *
 * - multiple-choice: the picked choice's credit (a penalty counts as 0 for the question);
 * - multiple-response: all-or-nothing → full points only for exactly the positive-credit set;
 *   otherwise the picked choices' credits add up, capped to 0…100 %;
 * - true-false: right or wrong; short-answer and numerical: the first matching answer decides
 *   (short answers: `*` is a wildcard, case as the question says; numbers: exact ± tolerance,
 *   range, or any); matching: an equal share per pair; essay: shown, never scored.
 *
 * Rich-text fields are sanitised HTML (inserted as markup); plain-text fields are escaped. A classic
 * script like render.cjs: `require()` in Node (tests), `globalThis.lectern.quiz` in the browser.
 */
/* global module */
'use strict';
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else (root.lectern = root.lectern || {}).quiz = api;
})(typeof globalThis === 'object' ? globalThis : this, function () {
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  function round(n) {
    return Math.round(n * 100) / 100;
  }

  function formatPoints(n) {
    const r = round(n);
    return `${r} ${r === 1 ? 'point' : 'points'}`;
  }

  /** The LMS default grade when a question has none. */
  function maxPoints(question) {
    return typeof question.points === 'number' && question.points > 0 ? question.points : 1;
  }

  function gradable(question) {
    return question.type !== 'essay' && question.type !== 'description';
  }

  /** A small deterministic PRNG (mulberry32) seeded from a string: the same order on every render. */
  function seeded(seedText) {
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
  function matchingOptions(question) {
    const seen = new Set();
    const options = [];
    for (const text of [...question.pairs.map((p) => p.answer), ...(question.distractors || [])]) {
      if (seen.has(text)) continue;
      seen.add(text);
      options.push(text);
    }
    const random = seeded(question.id);
    for (let i = options.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [options[i], options[j]] = [options[j], options[i]];
    }
    return options;
  }

  // ── scoring (pure) ──────────────────────────────────────────────────────────────────────────

  function normaliseText(text) {
    return String(text).trim().replace(/\s+/g, ' ');
  }

  /** Moodle's short-answer match: the whole response, `*` matches any run of characters. */
  function shortAnswerMatches(pattern, response, caseSensitive) {
    const source = normaliseText(pattern)
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, caseSensitive ? 'su' : 'isu').test(normaliseText(response));
  }

  /** "3.5", "3,5", " 1e3 " → a number; anything else → NaN. */
  function parseNumber(text) {
    let t = String(text).trim().replace(/\s+/g, '');
    if (t === '') return Number.NaN;
    if (!t.includes('.') && /^[-+]?\d+,\d+$/.test(t)) t = t.replace(',', '.');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number.NaN;
    return Number(t);
  }

  function numericalMatches(answer, value) {
    if (answer.kind === 'any') return true;
    const epsilon = 1e-9 * Math.max(1, Math.abs(value));
    if (answer.kind === 'exact') return Math.abs(value - answer.value) <= answer.tolerance + epsilon;
    return value >= answer.min - epsilon && value <= answer.max + epsilon;
  }

  function isEmpty(question, response) {
    if (response === undefined || response === null) return true;
    if (question.type === 'multiple-response') return response.length === 0;
    if (question.type === 'matching') return response.every((r) => !r);
    if (typeof response === 'string') return response.trim() === '';
    return false;
  }

  /**
   * Scores one response. `response`: multiple-choice → choice id; multiple-response → choice ids;
   * true-false → boolean; short-answer, numerical, essay → text; matching → the chosen answer per pair.
   */
  function scoreQuestion(question, response) {
    const max = maxPoints(question);
    if (!gradable(question)) return { gradable: false, answered: !isEmpty(question, response), state: 'ungraded', fraction: 0, points: 0, max: 0, feedback: [] };
    if (isEmpty(question, response)) return { gradable: true, answered: false, state: 'unanswered', fraction: 0, points: 0, max, feedback: [] };
    let fraction = 0;
    const feedback = [];
    let note;
    switch (question.type) {
      case 'multiple-choice': {
        const choice = question.choices.find((c) => c.id === response);
        fraction = choice ? Math.min(1, Math.max(0, choice.credit / 100)) : 0;
        if (choice && choice.feedback) feedback.push(choice.feedback);
        break;
      }
      case 'multiple-response': {
        const picked = new Set(response);
        if (question.allOrNothing) {
          const positive = question.choices.filter((c) => c.credit > 0).map((c) => c.id);
          fraction = positive.length === picked.size && positive.every((id) => picked.has(id)) ? 1 : 0;
        } else {
          const total = question.choices.filter((c) => picked.has(c.id)).reduce((sum, c) => sum + c.credit, 0);
          fraction = Math.min(100, Math.max(0, total)) / 100;
        }
        for (const c of question.choices) if (picked.has(c.id) && c.feedback) feedback.push(c.feedback);
        break;
      }
      case 'true-false': {
        fraction = response === question.correct ? 1 : 0;
        const fb = response ? question.trueFeedback : question.falseFeedback;
        if (fb) feedback.push(fb);
        break;
      }
      case 'short-answer': {
        const match = question.answers.find((a) => shortAnswerMatches(a.text, response, question.caseSensitive));
        fraction = match ? match.credit / 100 : 0;
        if (match && match.feedback) feedback.push(match.feedback);
        break;
      }
      case 'numerical': {
        const value = parseNumber(response);
        if (Number.isNaN(value)) {
          note = 'That is not a number.';
          break;
        }
        const match = question.answers.find((a) => numericalMatches(a, value));
        fraction = match ? match.credit / 100 : 0;
        if (match && match.feedback) feedback.push(match.feedback);
        break;
      }
      case 'matching': {
        const right = question.pairs.filter((pair, i) => response[i] === pair.answer).length;
        fraction = right / question.pairs.length;
        note = `${right} of ${question.pairs.length} matched correctly.`;
        break;
      }
      default:
        break;
    }
    const state = fraction >= 1 - 1e-9 ? 'correct' : fraction > 0 ? 'partial' : 'incorrect';
    const qf = question.feedback || {};
    const stateFeedback = state === 'correct' ? qf.correct : state === 'partial' ? qf.partiallyCorrect : qf.incorrect;
    if (stateFeedback) feedback.push(stateFeedback);
    if (qf.general) feedback.push(qf.general);
    return { gradable: true, answered: true, state, fraction, points: round(fraction * max), max, feedback, ...(note ? { note } : {}) };
  }

  /** Totals over the gradable questions; `responses[i]` belongs to `quiz.questions[i]`. */
  function scoreQuiz(quiz, responses) {
    let points = 0;
    let max = 0;
    let answered = 0;
    let questions = 0;
    let ungraded = 0;
    quiz.questions.forEach((q, i) => {
      if (q.type === 'essay') ungraded++;
      if (!gradable(q)) return;
      const result = scoreQuestion(q, responses[i]);
      questions++;
      points += result.points;
      max += result.max;
      if (result.answered) answered++;
    });
    return { points: round(points), max: round(max), percent: max > 0 ? Math.round((points / max) * 100) : 0, answered, questions, ungraded };
  }

  /** The right answer, as HTML, for a response that was not fully right. */
  function rightAnswer(question) {
    switch (question.type) {
      case 'multiple-choice': {
        const best = question.choices.reduce((a, b) => (b.credit > a.credit ? b : a));
        return best.text;
      }
      case 'multiple-response':
        return question.choices
          .filter((c) => c.credit > 0)
          .map((c) => c.text)
          .join('; ');
      case 'true-false':
        return question.correct ? 'True' : 'False';
      case 'short-answer': {
        const best = question.answers.reduce((a, b) => (b.credit > a.credit ? b : a));
        return escapeHtml(best.text);
      }
      case 'numerical': {
        const best = question.answers.filter((a) => a.kind !== 'any').reduce((a, b) => (b.credit > a.credit ? b : a), { credit: -1 });
        if (best.kind === 'exact') return escapeHtml(best.tolerance ? `${best.value} ± ${best.tolerance}` : String(best.value));
        if (best.kind === 'range') return escapeHtml(`between ${best.min} and ${best.max}`);
        return '';
      }
      case 'matching':
        return question.pairs.map((p) => `${p.prompt} → ${escapeHtml(p.answer)}`).join('; ');
      default:
        return '';
    }
  }

  const STATE_TEXT = { correct: 'Correct', partial: 'Partly correct', incorrect: 'Incorrect', unanswered: 'Not answered', ungraded: 'Not scored' };

  function renderResult(question, result) {
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

  function renderTotal(total) {
    const essay = total.ungraded ? ` · ${total.ungraded} ${total.ungraded === 1 ? 'essay' : 'essays'} not scored` : '';
    return `<strong>Score: ${escapeHtml(total.points)} of ${escapeHtml(formatPoints(total.max))}</strong> (${total.percent}%) · ${total.answered} of ${total.questions} questions answered${essay}`;
  }

  // ── rendering ───────────────────────────────────────────────────────────────────────────────

  /** Essay templates are HTML; a textarea holds text. */
  function htmlToText(html) {
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

  function controls(q, base) {
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
          .map((p, k) => `<div class="match-row"><label for="${base}-m${k}" class="match-prompt rich">${p.prompt}</label><select id="${base}-m${k}" name="${name}-m${k}"><option value="">Choose…</option>${options}</select></div>`)
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

  /** The whole quiz as a form; `prefix` makes its ids unique on the page. */
  function renderQuiz(quiz, prefix, options) {
    const opts = options || {};
    const total = quiz.questions.filter(gradable).reduce((sum, q) => sum + maxPoints(q), 0);
    const count = quiz.questions.filter((q) => q.type !== 'description').length;
    let number = 0;
    const items = quiz.questions
      .map((q, i) => {
        const base = `${prefix}-q${i}`;
        if (q.type === 'description') return `<li class="question q-description" data-index="${i}"><div class="q-stem rich">${q.stem}</div></li>`;
        number++;
        const points = gradable(q) ? formatPoints(maxPoints(q)) : 'not scored';
        return `<li class="question q-${escapeHtml(q.type)}" data-index="${i}" id="${base}"><fieldset aria-describedby="${base}-stem"><legend><span class="q-number">Question ${number}</span><span class="q-points">${escapeHtml(points)}</span>${
          q.title ? `<span class="q-name">${escapeHtml(q.title)}</span>` : ''
        }</legend><div class="q-stem rich" id="${base}-stem">${q.stem}</div>${controls(q, base)}${
          gradable(q) ? `<div class="q-actions"><button type="button" class="button-secondary" data-check="${i}">Check answer</button></div>` : ''
        }<div class="q-result" id="${base}-result" role="status" aria-live="polite"></div></fieldset></li>`;
      })
      .join('');
    // The file's card already shows the quiz's title: the form is named by it, not headed again.
    const label = `aria-label="${escapeHtml(quiz.title || opts.fallbackTitle || 'Quiz')}"`;
    const head = `<div class="quiz-head"><p class="quiz-intro">${count} ${count === 1 ? 'question' : 'questions'}, ${escapeHtml(
      formatPoints(total),
    )} in all. Answer as a student would, then check each question or all of them.</p></div>`;
    return `<form class="quiz" id="${prefix}-form" novalidate ${label}>${head}<ol class="questions">${items}</ol><div class="quiz-footer"><div class="quiz-buttons"><button type="submit">Check all answers</button><button type="reset" class="button-secondary">Start again</button></div><p class="quiz-total" id="${prefix}-total" role="status" aria-live="polite"></p></div></form>`;
  }

  /** Reads the response to question `index` from the rendered form (anything with querySelector). */
  function readResponse(form, question, index, prefix) {
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
      case 'essay': {
        const el = form.querySelector(`[name="${base}"]`);
        return el ? el.value : undefined;
      }
      case 'matching':
        return question.pairs.map((_, k) => {
          const el = form.querySelector(`[name="${base}-m${k}"]`);
          return el && el.value ? el.value : undefined;
        });
      default:
        return undefined;
    }
  }

  return { renderQuiz, renderResult, renderTotal, readResponse, scoreQuestion, scoreQuiz, matchingOptions, shortAnswerMatches, parseNumber, rightAnswer, maxPoints };
});
