/**
 * A quiz on the lesson page: its canonical JSON (embedded in a static build, else fetched),
 * rendered by quiz-render.ts, each question checked and the whole quiz scored in the page by
 * quiz-scoring.ts — the same code the tests score with.
 */
import type { Quiz } from '../../../shared/quiz/model.js';
import { escapeHtml } from './html.js';
import { renderMath } from './math.js';
import { readResponse, renderQuiz, renderResult, renderTotal } from './quiz-render.js';
import { scoreQuestion, scoreQuiz } from './quiz-scoring.js';

/** Inserts sanitised HTML, resolving its relative links and images against the quiz's own URL, its TeX typeset. */
function setRich(element: Element, html: string, baseUrl: string): void {
  const template = document.createElement('template');
  template.innerHTML = html;
  const base = new URL(baseUrl, location.href);
  for (const el of template.content.querySelectorAll('.rich img[src], .rich a[href], img[src].rich, a[href].rich')) {
    const attr = el.tagName === 'IMG' ? 'src' : 'href';
    const value = el.getAttribute(attr);
    if (value && !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(value)) el.setAttribute(attr, new URL(value, base).href);
  }
  renderMath(template.content);
  element.replaceChildren(template.content);
}

/** Fills a `.quiz-mount` with its quiz; `embedded` is the quiz when the page carries it already. */
export async function mountQuiz(mount: HTMLElement, embedded: (url: string) => Quiz | undefined): Promise<void> {
  const url = mount.getAttribute('data-quiz-url') ?? '';
  const prefix = mount.getAttribute('data-quiz-id') ?? 'quiz';
  let data = embedded(url);
  try {
    if (!data) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      data = (await response.json()) as Quiz;
    }
  } catch (error) {
    mount.innerHTML = `<p class="note">The quiz could not be loaded (${escapeHtml((error as Error).message)}). <a href="${escapeHtml(url)}">Open quiz.json</a>.</p>`;
    return;
  }
  const article = mount.closest('article');
  const fallbackTitle = article?.getAttribute('data-file') ?? 'Quiz';
  const quiz = data;
  setRich(mount, renderQuiz(quiz, prefix, { fallbackTitle }), url);
  const form = mount.querySelector('form');
  if (!form) return;
  const check = (index: number): void => {
    const question = quiz.questions[index];
    if (!question) return;
    const result = scoreQuestion(question, readResponse(form, question, index, prefix));
    form.querySelector(`#${prefix}-q${index}`)?.setAttribute('data-state', result.state);
    const resultBox = form.querySelector(`#${prefix}-q${index}-result`);
    if (resultBox) setRich(resultBox, renderResult(question, result), url);
  };
  form.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-check]') : null;
    if (button) check(Number(button.getAttribute('data-check')));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const responses = quiz.questions.map((q, i) => readResponse(form, q, i, prefix));
    quiz.questions.forEach((q, i) => {
      if (q.type !== 'description') check(i);
    });
    const total = form.querySelector(`#${prefix}-total`);
    if (total) total.innerHTML = renderTotal(scoreQuiz(quiz, responses));
  });
  enableWordDragging(form);
  form.addEventListener('reset', () => {
    requestAnimationFrame(() => {
      for (const el of form.querySelectorAll('.q-result, .quiz-total')) el.replaceChildren();
      for (const el of form.querySelectorAll('[data-state]')) el.removeAttribute('data-state');
    });
  });
}

/**
 * Drag and drop into text: a word of the pool dropped on a gap of its group sets that gap's
 * drop-down (the keyboard way to answer stays the drop-down itself). A word of another group is
 * refused, as Moodle refuses it.
 */
function enableWordDragging(form: HTMLFormElement): void {
  form.addEventListener('dragstart', (event) => {
    const word = event.target instanceof Element ? event.target.closest<HTMLElement>('.word-pool li[data-choice]') : null;
    if (!word || !event.dataTransfer) return;
    event.dataTransfer.setData('text/plain', `${word.dataset.choice ?? ''} ${word.dataset.group ?? ''}`);
    event.dataTransfer.effectAllowed = 'copy';
  });
  const gapOf = (event: DragEvent): HTMLSelectElement | null =>
    event.target instanceof Element ? event.target.closest<HTMLSelectElement>('.q-drag-drop-text select.gap') : null;
  form.addEventListener('dragover', (event) => {
    if (gapOf(event)) event.preventDefault();
  });
  form.addEventListener('drop', (event) => {
    const gap = gapOf(event);
    if (!gap || !event.dataTransfer) return;
    event.preventDefault();
    const [choice = '', group = ''] = event.dataTransfer.getData('text/plain').split(' ');
    if (group !== gap.dataset.group || ![...gap.options].some((o) => o.value === choice)) return;
    gap.value = choice;
    gap.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
