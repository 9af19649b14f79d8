/**
 * The Transcribe job planner, checked against the vendored Transcribe API model (as the
 * MediaConvert planner is against its own): every request it plans — a known language, language
 * identification, a custom vocabulary, any stage and asset version — is a StartTranscriptionJob
 * request the service accepts (required members, enums, the job name's pattern and length, S3 URIs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assetVersionId } from '../../../shared/contract/asset-version.js';
import {
  planTranscription,
  transcribeLanguage,
  transcriptionJobPrefix,
  TRANSCRIBE_LANGUAGES,
  vocabularyName,
  vocabularyPhrases,
  type TranscriptionPlanInput,
} from '../../../shared/transcription/plan-transcription.js';
import { AWS_MODEL_FILES, loadSmithyModel, validateAgainstShape } from '../../helpers/smithy-validate.js';

const model = loadSmithyModel(AWS_MODEL_FILES.transcribe);
const T = 'com.amazonaws.transcribe#';
const violations = (request: unknown) => validateAgainstShape(model, `${T}StartTranscriptionJobRequest`, request);

const base: TranscriptionPlanInput = {
  stage: 'prod',
  assetVersionId: assetVersionId({ bucket: 'lectern-prod-uploads', key: 'courses/bio/lessons/mitosis/lecture.mp4', etag: '"abc"' }),
  attempt: 1,
  media: { bucket: 'lectern-prod-published', key: 'courses/bio/lessons/mitosis/lecture.mp4/0123456789abcdef/mp4/video.mp4' },
  outputBucket: 'lectern-prod-uploads',
};

describe('planTranscription', () => {
  it('with the course language: a valid request for WebVTT subtitles in the private _work/ prefix', () => {
    const plan = planTranscription({ ...base, language: 'en' });
    expect(violations(plan.request)).toEqual([]);
    expect(plan.request).toMatchObject({
      LanguageCode: 'en-US',
      Subtitles: { Formats: ['vtt'], OutputStartIndex: 1 },
      OutputBucketName: 'lectern-prod-uploads',
      OutputKey: `_work/${base.assetVersionId}/transcribe/`,
      Media: { MediaFileUri: `s3://lectern-prod-published/${base.media.key}` },
    });
    expect(plan.request).not.toHaveProperty('IdentifyLanguage');
    expect(plan.subtitlesKey).toBe(`_work/${base.assetVersionId}/transcribe/${plan.jobName}.vtt`);
    expect(plan.jobName.startsWith(transcriptionJobPrefix('prod'))).toBe(true);
  });

  it('without a language: language identification, and no vocabulary (Transcribe takes one only with a language)', () => {
    const plan = planTranscription({ ...base, vocabulary: { name: 'lectern-prod-bio-abc', languageCode: 'en-US' } });
    expect(violations(plan.request)).toEqual([]);
    expect(plan.request).toMatchObject({ IdentifyLanguage: true });
    expect(plan.request).not.toHaveProperty('LanguageCode');
    expect(plan.request).not.toHaveProperty('Settings');
  });

  it('passes a course vocabulary made for the job language', () => {
    const name = vocabularyName('prod', 'bio', 'en-US', vocabularyPhrases(['mitosis', 'cytokinesis', 'spindle fibre']));
    const plan = planTranscription({ ...base, language: 'en', vocabulary: { name, languageCode: 'en-US' } });
    expect(violations(plan.request)).toEqual([]);
    expect(plan.request).toMatchObject({ Settings: { VocabularyName: name } });
    expect(validateAgainstShape(model, `${T}CreateVocabularyRequest`, { VocabularyName: name, LanguageCode: 'en-US', Phrases: vocabularyPhrases(['mitosis', 'spindle fibre']) })).toEqual([]);
    expect(vocabularyPhrases(['spindle fibre', ' mitosis ', 'mitosis'])).toEqual(['spindle-fibre', 'mitosis']);
  });

  it('the model catches what the planner must not do (a space in a job name, an unknown language, a missing Media)', () => {
    const plan = planTranscription({ ...base, language: 'en' });
    expect(violations({ ...plan.request, TranscriptionJobName: 'lectern prod 1' }).map((v) => v.path)).toEqual(['$.TranscriptionJobName']);
    expect(violations({ ...plan.request, LanguageCode: 'en' }).map((v) => v.path)).toEqual(['$.LanguageCode']);
    const { Media: _media, ...noMedia } = plan.request;
    expect(violations(noMedia).length).toBeGreaterThan(0);
  });

  it('every stage, asset version, attempt and course language gives a valid request', () => {
    const languages = [...TRANSCRIBE_LANGUAGES, 'en', 'fr', 'pt', 'zh-Hant', 'de-AT', 'xx', 'eo'];
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: 99 }),
        fc.option(fc.constantFrom(...languages), { nil: undefined }),
        (stage, key, attempt, language) => {
          const plan = planTranscription({ ...base, stage, attempt, assetVersionId: assetVersionId({ bucket: 'b', key, etag: 'e' }), ...(language ? { language } : {}) });
          expect(violations(plan.request)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('maps course languages to Transcribe codes the model knows, and unknown ones to identification', () => {
    const known = Object.values(model.shapes[`${T}LanguageCode`]!.members!).map((m) => (m.traits as Record<string, string>)['smithy.api#enumValue']);
    for (const code of TRANSCRIBE_LANGUAGES) expect(known).toContain(code);
    expect(transcribeLanguage('en')).toBe('en-US');
    expect(transcribeLanguage('EN-gb')).toBe('en-GB');
    expect(transcribeLanguage('pt')).toBe('pt-BR');
    expect(transcribeLanguage('zh-Hant')).toBe('zh-TW');
    expect(transcribeLanguage('eo')).toBeUndefined();
    expect(transcribeLanguage(undefined)).toBeUndefined();
  });
});
