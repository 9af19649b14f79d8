/**
 * Moodle only accepts answer grades from a fixed list (question_bank::fraction_options_full):
 * 33.33333 is a grade, 33 is not. Values are percentages here.
 */
const FRACTIONS = [
  100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0,
];

export const MOODLE_GRADES: readonly number[] = [...FRACTIONS, ...FRACTIONS.filter((f) => f !== 0).map((f) => -f)];

/** Moodle compares fractions with a tolerance of 0.00001 (0.001 in percent). */
export function isMoodleGrade(percent: number): boolean {
  return MOODLE_GRADES.some((grade) => Math.abs(grade - percent) < 0.001);
}

export function moodleGradeList(): string {
  return FRACTIONS.join(', ');
}
