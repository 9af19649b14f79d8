/**
 * The vendored AWS API models (vendor/aws-models/): whole, as their README's hashes say, licensed
 * (Apache-2.0, with the NOTICE they came with), and readable by the Smithy validator, which the
 * planners' tests check requests with. They make those tests independent of ../shared.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_MODEL_FILES, loadSmithyModel } from '../helpers/smithy-validate.js';

const README = readFileSync(new URL('../../vendor/aws-models/README.md', import.meta.url), 'utf8');

describe.each(Object.entries(AWS_MODEL_FILES))('vendored %s model', (service, file) => {
  it('is the file its README names, byte for byte', () => {
    const row = README.split('\n').find((line) => line.startsWith(`| \`${service}/\``));
    expect(row, `vendor/aws-models/README.md lists ${service}/`).toBeDefined();
    expect(row).toContain(path.basename(file));
    expect(row).toContain(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('keeps its Apache-2.0 LICENSE and its NOTICE', () => {
    expect(readFileSync(path.join(path.dirname(file), 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(path.join(path.dirname(file), 'NOTICE'), 'utf8')).toContain('Amazon.com');
    expect(readFileSync(new URL('../../NOTICE', import.meta.url), 'utf8')).toContain(`vendor/aws-models/${service}/`);
  });

  it('loads as a Smithy 2.0 model with the operation lectern calls', () => {
    const model = loadSmithyModel(file);
    expect(model.smithy).toBe('2.0');
    const operation = service === 'mediaconvert' ? 'com.amazonaws.mediaconvert#CreateJob' : 'com.amazonaws.transcribe#StartTranscriptionJob';
    expect(model.shapes[operation]?.type).toBe('operation');
  });
});

it('needs nothing outside the repository', () => {
  for (const file of Object.values(AWS_MODEL_FILES)) expect(existsSync(file) && !path.relative(new URL('../..', import.meta.url).pathname, file).startsWith('..')).toBe(true);
});
