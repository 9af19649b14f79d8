/** The ValidateCaptions use-case over the filesystem object store (no database needed). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../shared/contract/asset-version.js';
import { FsObjectStore } from '../../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../../shared/runtime/config.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import type { ValidateInput } from '../../../shared/contract/pipeline.js';
import { validateCaptionsUpload } from '../../../shared/use-cases/validate-captions-upload.js';
import { fixtureBytes } from './helpers.js';
import { uploaded } from '../../helpers/uploaded.js';

describe('validateCaptionsUpload', () => {
  let root: string;
  let uploads: FsObjectStore;
  let deps: Deps;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lectern-captions-'));
    uploads = new FsObjectStore(path.join(root, 'uploads'), { bucket: 'uploads' });
    deps = { config: parseConfig({}), uploads, now: () => new Date('2026-03-01T00:00:00Z') } as unknown as Deps;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const upload = (fileName: string, body: Uint8Array): Promise<ValidateInput> => uploaded(uploads, fileName, body);

  it('converts an SRT upload and stages <stem>.vtt as text/vtt, with what PublishAsset and the manifest need', async () => {
    const bytes = fixtureBytes('crlf-bom.fr.srt');
    const input = await upload('cell-division.fr.srt', bytes);
    const validation = await validateCaptionsUpload(input, deps);
    const key = `_work/${input.upload.assetVersionId}/cell-division.fr.vtt`;
    const staged = new TextDecoder().decode(await uploads.get(key));
    expect(staged).toMatch(/^WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nBonjour à tous\n/);
    expect(validation).toEqual({
      accepted: true,
      format: 'srt',
      reasons: [],
      warnings: [],
      metadata: { cues: 2, durationMs: 4000, language: 'fr', videoStem: 'cell-division', sourceFormat: 'srt' },
      contentSha256: sha256Hex(bytes),
      artifacts: [{ name: 'cell-division.fr.vtt', contentType: 'text/vtt', sha256: sha256Hex(staged), size: Buffer.byteLength(staged), from: { store: 'uploads', key } }],
    });
    expect((await uploads.head(key))?.contentType).toBe('text/vtt');
  });

  it('returns a rejection verdict with every reason and stages nothing', async () => {
    const input = await upload('errors.vtt', fixtureBytes('errors.vtt'));
    const validation = await validateCaptionsUpload(input, deps);
    expect(validation).toMatchObject({ accepted: false, format: 'webvtt', warnings: [], metadata: {}, artifacts: [] });
    expect(validation.reasons).toHaveLength(11);
    expect(await uploads.list(`_work/${input.upload.assetVersionId}/`)).toEqual([]);
  });

  it('applies the configured size limit for captions', async () => {
    const small = { ...deps, config: parseConfig({ LECTERN_MAX_BYTES_CAPTIONS: '100' }) };
    const input = await upload('lecture.en.vtt', fixtureBytes('lecture.en.vtt'));
    const validation = await validateCaptionsUpload(input, small);
    expect(validation.reasons.map((r) => r.code)).toEqual(['captions.too-large']);
  });
});
