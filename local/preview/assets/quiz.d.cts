/** Types of quiz.cjs (a classic script shared by the browser and the tests). */
import type { Question, Quiz } from '../../../shared/quiz/model.js' with { 'resolution-mode': 'import' };

export type Response = string | boolean | Array<string | undefined> | undefined;
export interface QuestionScore {
  gradable: boolean;
  answered: boolean;
  state: 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'ungraded';
  fraction: number;
  points: number;
  max: number;
  /** Sanitised HTML, in the order shown. */
  feedback: string[];
  note?: string;
}
export interface QuizScore {
  points: number;
  max: number;
  percent: number;
  answered: number;
  questions: number;
  ungraded: number;
}
export declare function renderQuiz(quiz: Quiz, prefix: string, options?: { fallbackTitle?: string }): string;
export declare function renderResult(question: Question, result: QuestionScore): string;
export declare function renderTotal(total: QuizScore): string;
export declare function scoreQuestion(question: Question, response: Response): QuestionScore;
export declare function scoreQuiz(quiz: Quiz, responses: Response[]): QuizScore;
export declare function matchingOptions(question: Extract<Question, { type: 'matching' }>): string[];
export declare function shortAnswerMatches(pattern: string, response: string, caseSensitive: boolean): boolean;
export declare function parseNumber(text: string): number;
export declare function rightAnswer(question: Question): string;
export declare function maxPoints(question: Question): number;
