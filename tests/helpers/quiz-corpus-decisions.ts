/**
 * Where lectern's quiz verdicts deliberately differ from what the corpus manifest's sources
 * expect (see docs/quiz-format.md): shared by the parser's corpus test and the CLI corpus run.
 */
export const QUIZ_CORPUS_DECISIONS: Record<string, { code: string; why: string }> = {
  // A file whose every question is of an unsupported type has nothing to publish.
  'moodle_xml/qas_calculated.xml': { code: 'quiz.unsupported-question-type', why: 'calculated' },
  'moodle_xml/qas_ddmarker.xml': { code: 'quiz.unsupported-question-type', why: 'drag and drop markers' },
  'moodle_xml/qas_randomsamatch.xml': { code: 'quiz.unsupported-question-type', why: 'random short-answer matching' },
  'qti21/ims_adaptive.xml': { code: 'quiz.unsupported-question-type', why: 'adaptive item, two interactions' },
  'qti21/ims_associate.xml': { code: 'quiz.unsupported-question-type', why: 'associateInteraction' },
  'qti21/ims_gap_match.xml': { code: 'quiz.unsupported-question-type', why: 'gapMatchInteraction' },
  'qti21/ims_hotspot.xml': { code: 'quiz.unsupported-question-type', why: 'hotspotInteraction' },
  'qti21/ims_order.xml': { code: 'quiz.unsupported-question-type', why: 'orderInteraction' },
  'qti21/ims_slider.xml': { code: 'quiz.unsupported-question-type', why: 'sliderInteraction' },
  'qti21/ims_template.xml': { code: 'quiz.unsupported-question-type', why: 'template (randomised) item' },
  'qti21/ims_test_interaction_mix_sachsen.xml': { code: 'quiz.not-an-item', why: 'an assessmentTest: only items are imported' },
  'qti21/qas_qti2v1_package.zip': { code: 'quiz.unknown-format', why: 'content packages (zip) are not quiz uploads' },
  'qti21/invalid_noversion.xml': { code: 'quiz.not-an-item', why: 'a bare responseProcessing (qti-sdk accepts it)' },
};
