/**
 * The Smithy validator itself: it must catch what the MediaConvert API would reject (and what the
 * SDK would silently send), so that "valid against the model" means something. Then the sanity
 * check: the job settings in the shared corpus validate with it (templates have no Inputs).
 * The model is vendored (vendor/aws-models/); the corpus job settings are required wherever
 * LECTERN_CORPUS names the corpus (.ci/run).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_MODEL_FILES, corpusDir, corpusRequired, loadSmithyModel, MEDIACONVERT_MODEL_QUIRKS, validateAgainstShape, type SmithyModel } from '../../helpers/smithy-validate.js';

const MODEL_FILE = AWS_MODEL_FILES.mediaconvert;
const JOB_SETTINGS = path.join(corpusDir(), 'aws/job_settings');
const haveCorpus = existsSync(JOB_SETTINGS);
if (!haveCorpus && corpusRequired()) throw new Error(`The corpus job settings are missing at ${JOB_SETTINGS} (LECTERN_CORPUS is set, so that is a failure).`);
if (!haveCorpus) console.warn(`lectern tests: no corpus at ${corpusDir()}; the corpus job settings are not validated here (they are where LECTERN_CORPUS is set, as in .ci/run).`);

const MC = 'com.amazonaws.mediaconvert#';

/** A tiny hand-written model for the shape kinds MediaConvert does not use (unions, sets…). */
const TOY: SmithyModel = {
  smithy: '2.0',
  shapes: {
    'toy#Root': {
      type: 'structure',
      members: {
        Name: { target: 'toy#Name', traits: { 'smithy.api#required': {} } },
        Count: { target: 'toy#Count' },
        Ratio: { target: 'smithy.api#Double', traits: { 'smithy.api#range': { min: 0, max: 1 } } },
        Mode: { target: 'toy#Mode' },
        Level: { target: 'toy#Level' },
        Tags: { target: 'toy#Tags' },
        Items: { target: 'toy#Items' },
        Choice: { target: 'toy#Choice' },
        Flag: { target: 'smithy.api#Boolean' },
        When: { target: 'smithy.api#Timestamp' },
      },
    },
    'toy#Name': { type: 'string', traits: { 'smithy.api#length': { min: 2, max: 5 }, 'smithy.api#pattern': '^[a-z]+$' } },
    'toy#Count': { type: 'integer', traits: { 'smithy.api#range': { min: 1, max: 10 } } },
    'toy#Mode': { type: 'enum', members: { A: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'A' } }, B: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'b-value' } } } },
    'toy#Level': { type: 'intEnum', members: { LOW: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 1 } }, HIGH: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 9 } } } },
    'toy#Tags': { type: 'map', key: { target: 'toy#Name' }, value: { target: 'toy#Count' }, traits: { 'smithy.api#length': { max: 2 } } },
    'toy#Items': { type: 'list', member: { target: 'toy#Count' }, traits: { 'smithy.api#length': { min: 1 }, 'smithy.api#uniqueItems': {} } },
    'toy#Choice': { type: 'union', members: { Left: { target: 'toy#Count' }, Right: { target: 'toy#Name' } } },
  },
};

const toy = (value: unknown) => validateAgainstShape(TOY, 'toy#Root', value);
const paths = (value: unknown) => toy(value).map((v) => v.path);

describe('validateAgainstShape', () => {
  it('accepts a value that follows every rule', () => {
    expect(toy({ Name: 'abc', Count: 3, Ratio: 0.5, Mode: 'b-value', Level: 9, Tags: { ab: 1 }, Items: [1, 2], Choice: { Right: 'xy' }, Flag: true, When: '2026-01-01T00:00:00Z' })).toEqual([]);
  });

  it('reports unknown members (with a hint for a wrong case) and missing required ones', () => {
    const violations = toy({ name: 'abc' });
    expect(violations.map((v) => v.path)).toEqual(['$.Name', '$.name']);
    expect(violations[1]?.message).toMatch(/no member "name" \(did you mean "Name"\?\)/);
  });

  it('checks enums and intEnums by their values, not their member names', () => {
    expect(paths({ Name: 'abc', Mode: 'B' })).toEqual(['$.Mode']);
    expect(paths({ Name: 'abc', Mode: 'A', Level: 2 })).toEqual(['$.Level']);
  });

  it('checks integer-ness and @range on shapes and on members', () => {
    expect(paths({ Name: 'abc', Count: 1.5 })).toEqual(['$.Count']);
    expect(paths({ Name: 'abc', Count: 11 })).toEqual(['$.Count']);
    expect(paths({ Name: 'abc', Ratio: 1.5 })).toEqual(['$.Ratio']);
    expect(paths({ Name: 'abc', Count: '3' })).toEqual(['$.Count']);
  });

  it('checks @length in code points and @pattern', () => {
    expect(paths({ Name: 'a' })).toEqual(['$.Name']);
    expect(paths({ Name: 'abcdef' })).toEqual(['$.Name']);
    expect(paths({ Name: 'ABC' })).toEqual(['$.Name']);
    expect(paths({ Name: 'ab' })).toEqual([]);
  });

  it('checks lists and maps: item shapes, @length of the collection, unique items, keys', () => {
    expect(paths({ Name: 'abc', Items: [] })).toEqual(['$.Items']);
    expect(paths({ Name: 'abc', Items: [1, 1] })).toEqual(['$.Items']);
    expect(paths({ Name: 'abc', Items: [1, 99] })).toEqual(['$.Items[1]']);
    expect(paths({ Name: 'abc', Items: 'x' })).toEqual(['$.Items']);
    expect(paths({ Name: 'abc', Tags: { ab: 1, cd: 2, ef: 3 } })).toEqual(['$.Tags']);
    expect(paths({ Name: 'abc', Tags: { AB: 1 } })).toEqual(['$.Tags["AB"]<key>']);
    expect(paths({ Name: 'abc', Tags: { ab: 0 } })).toEqual(['$.Tags["ab"]']);
  });

  it('checks unions: exactly one known member', () => {
    expect(paths({ Name: 'abc', Choice: {} })).toEqual(['$.Choice']);
    expect(paths({ Name: 'abc', Choice: { Left: 1, Right: 'xy' } })).toEqual(['$.Choice']);
    expect(paths({ Name: 'abc', Choice: { Middle: 1 } })).toEqual(['$.Choice.Middle']);
    expect(paths({ Name: 'abc', Choice: { Left: 0 } })).toEqual(['$.Choice.Left']);
  });

  it('rejects null and values of the wrong type', () => {
    expect(paths({ Name: 'abc', Count: null })).toEqual(['$.Count']);
    expect(paths({ Name: 'abc', Flag: 'yes' })).toEqual(['$.Flag']);
    expect(paths({ Name: 'abc', When: 'not a date' })).toEqual(['$.When']);
    expect(paths([])).toEqual(['$']);
  });
});

describe('the MediaConvert model (vendored)', () => {
  const model = loadSmithyModel(MODEL_FILE);

  it('still has the S3 destination quirk the validator works around (drop the override once fixed)', () => {
    expect(model.shapes[`${MC}__stringPatternS3`]?.traits?.['smithy.api#pattern']).toBe('^s3:\\/\\/$');
    const settings = { Destination: 's3://bucket/path/name' };
    expect(validateAgainstShape(model, `${MC}FileGroupSettings`, settings)).toHaveLength(1);
    expect(validateAgainstShape(model, `${MC}FileGroupSettings`, settings, { patternOverrides: MEDIACONVERT_MODEL_QUIRKS })).toEqual([]);
    expect(validateAgainstShape(model, `${MC}FileGroupSettings`, { Destination: 'https://example.com/x' }, { patternOverrides: MEDIACONVERT_MODEL_QUIRKS })).toHaveLength(1);
  });

  it('catches the mistakes a hand-written job makes', () => {
    const violations = validateAgainstShape(
      model,
      `${MC}CreateJobRequest`,
      {
        Role: 'arn:aws:iam::111122223333:role/mc',
        Settings: {
          Inputs: [{ FileInput: 's3://bucket/key.mp4', VideoSelector: { Rotate: 'DEGREES_45' } }],
          OutputGroups: [
            {
              OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: 's3://bucket/out/' } },
              Outputs: [{ VideoDescription: { Width: 16, Height: 'x', CodecSettings: { Codec: 'H_264', H264Settings: { QvbrSettings: { QvbrQualityLevel: 11 }, Unknown: 1 } } } }],
            },
          ],
        },
      },
      { patternOverrides: MEDIACONVERT_MODEL_QUIRKS },
    );
    expect(violations.map((v) => v.path).sort()).toEqual(
      [
        '$.Settings.Inputs[0].VideoSelector.Rotate',
        '$.Settings.OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.QvbrSettings.QvbrQualityLevel',
        '$.Settings.OutputGroups[0].Outputs[0].VideoDescription.CodecSettings.H264Settings.Unknown',
        '$.Settings.OutputGroups[0].Outputs[0].VideoDescription.Height',
        '$.Settings.OutputGroups[0].Outputs[0].VideoDescription.Width',
      ].sort(),
    );
    expect(violations).toHaveLength(5);
    expect(validateAgainstShape(model, `${MC}CreateJobRequest`, { Settings: {} }).map((v) => v.path)).toEqual(['$.Role']);
  });
});

describe.runIf(haveCorpus)('the corpus job settings, against the MediaConvert model', () => {
  const model = loadSmithyModel(MODEL_FILE);

  // The corpus: which shape each file is, and what in it is not valid on purpose.
  const CORPUS: Array<{ file: string; shape: string; expected?: Array<{ path: string; message: RegExp }> }> = [
    { file: 'awsdocs_example_automated_abr.json', shape: 'CreateJobRequest' },
    // The documentation's jobs use the placeholder input "s3://INPUT", which is not a bucket/key URL.
    { file: 'awsdocs_example_hls_abr.json', shape: 'CreateJobRequest', expected: [{ path: '$.Settings.Inputs[0].FileInput', message: /"s3:\/\/INPUT" does not match/ }] },
    { file: 'awsdocs_example_mp4.json', shape: 'CreateJobRequest', expected: [{ path: '$.Settings.Inputs[0].FileInput', message: /"s3:\/\/input" does not match/ }] },
    { file: 'vod-automation_job_hls_mp4_framecapture.json', shape: 'JobSettings' },
    { file: 'vod-solution_preset_Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_6.5Mbps_qvbr.json', shape: 'PresetSettings' },
    { file: 'vod-solution_template_1080p_avc_aac_16x9_qvbr.json', shape: 'CreateJobTemplateRequest' },
    { file: 'vod-solution_template_1080p_avc_aac_16x9_qvbr_no_preset.json', shape: 'CreateJobTemplateRequest' },
    { file: 'vod-solution_template_720p_avc_aac_16x9_mvod_no_preset.json', shape: 'CreateJobTemplateRequest' },
  ];

  it('knows every file of the corpus job settings', () => {
    const files = CORPUS.map((c) => c.file);
    const present = files.filter((file) => existsSync(path.join(JOB_SETTINGS, file)));
    expect(present).toEqual(files);
  });

  it.each(CORPUS)('$file validates as $shape', ({ file, shape, expected = [] }) => {
    const value = JSON.parse(readFileSync(path.join(JOB_SETTINGS, file), 'utf8')) as Record<string, unknown>;
    if (shape.startsWith('CreateJobTemplate')) expect((value.Settings as Record<string, unknown>).Inputs, 'templates carry no Inputs').toBeUndefined();
    const violations = validateAgainstShape(model, `${MC}${shape}`, value, { patternOverrides: MEDIACONVERT_MODEL_QUIRKS });
    expect(violations.map((v) => v.path)).toEqual(expected.map((e) => e.path));
    violations.forEach((v, i) => expect(v.message).toMatch(expected[i]!.message));
  });
});
