/**
 * What each format parser produces: the canonical shape, but with raw (unsanitised) text in its
 * authored format and the position of every question. `build-quiz.ts` turns drafts into the
 * canonical model (render, sanitise, assign ids, check answerability).
 */
import type { Reason } from '../contract/errors.js';
import type { QuizFile } from './embedded-files.js';
import type { EssayResponse, GapChoice, NumericalAnswer, TextFormat } from './model.js';

export interface RichText {
  text: string;
  format: TextFormat;
}

export interface Position {
  line: number;
  column?: number;
}

export interface DraftFeedback {
  general?: RichText;
  correct?: RichText;
  partiallyCorrect?: RichText;
  incorrect?: RichText;
}

export interface DraftChoice {
  id?: string;
  text: RichText;
  credit: number;
  feedback?: RichText;
}

export interface DraftShortAnswer {
  text: string;
  credit: number;
  feedback?: RichText;
}

export type DraftNumericalAnswer = DistributiveOmit<NumericalAnswer, 'feedback'> & { feedback?: RichText };

export interface DraftPair {
  prompt: RichText;
  answer: string;
}

export type DraftClozeGap = { weight: number } & (
  | { kind: 'short-answer'; caseSensitive: boolean; answers: DraftShortAnswer[] }
  | { kind: 'numerical'; answers: DraftNumericalAnswer[] }
  | { kind: 'multiple-choice'; display: 'dropdown' | 'vertical' | 'horizontal'; shuffle: boolean; choices: DraftChoice[] }
  | { kind: 'multiple-response'; display: 'vertical' | 'horizontal'; shuffle: boolean; choices: DraftChoice[] }
);

interface DraftCommon {
  /** The id the source gives (GIFT `[id:]`, Moodle idnumber, QTI identifier, native `id`). */
  explicitId?: string;
  title?: string;
  stem: RichText;
  feedback?: DraftFeedback;
  category?: string;
  tags?: string[];
  points?: number;
  penalty?: number;
  position: Position;
  /** 1-based place among the file's questions, counting ones that failed to parse (for messages). */
  number?: number;
}

export type DraftQuestion = DraftCommon &
  (
    | { type: 'multiple-choice'; choices: DraftChoice[]; shuffle?: boolean; numbering?: Numbering }
    | { type: 'multiple-response'; choices: DraftChoice[]; allOrNothing: boolean; shuffle?: boolean; numbering?: Numbering }
    | { type: 'true-false'; correct: boolean; trueFeedback?: RichText; falseFeedback?: RichText }
    | { type: 'short-answer'; answers: DraftShortAnswer[]; caseSensitive: boolean }
    | { type: 'numerical'; answers: DraftNumericalAnswer[] }
    | { type: 'matching'; pairs: DraftPair[]; distractors: string[]; shuffle?: boolean }
    | { type: 'essay'; responseTemplate?: RichText; graderInfo?: RichText; response?: EssayResponse }
    | { type: 'cloze'; gaps: DraftClozeGap[] }
    | { type: 'drag-drop-text' | 'select-missing-words'; choices: GapChoice[]; shuffle?: boolean }
    | { type: 'description' }
  );

/** What a format parser returns: the questions it understood plus everything it has to say. */
export interface DraftQuiz {
  title?: string;
  questions: DraftQuestion[];
  /** Errors: any error rejects the upload. */
  errors: Reason[];
  /** Worth telling the educator, but the quiz is still published. */
  warnings: Reason[];
  /** Images the file embeds, published beside quiz.json (the texts already link to them). */
  files?: QuizFile[];
}

export type Numbering = 'abc' | 'ABCD' | '123' | 'iii' | 'IIII' | 'none';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
