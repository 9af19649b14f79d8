/**
 * How many questions a quiz has, as a learner counts them: descriptions (text between questions,
 * not answered) are not questions. One count for the upload's metadata (the preview card's "7
 * questions") and the quiz form's own header, so the two never disagree.
 */
import type { Quiz } from './model.js';

export function countQuestions(quiz: Pick<Quiz, 'questions'>): number {
  return quiz.questions.filter((q) => q.type !== 'description').length;
}
