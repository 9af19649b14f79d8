/** The ValidatePdf use-case over the filesystem object store: verdicts, and load that is not one. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../../shared/runtime/config.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { DependencyUnavailableError, TERMINAL_ERROR_NAMES } from '../../../shared/contract/errors.js';
import type { ValidateInput } from '../../../shared/contract/pipeline.js';
import { validatePdfUpload } from '../../../shared/use-cases/validate-pdf-upload.js';
import { heavyPage } from '../../helpers/hostile-pdf.js';
import { pdfString, simplePdf } from '../../helpers/make-pdf.js';
import { uploaded } from '../../helpers/uploaded.js';

describe('validatePdfUpload', () => {
  let root: string;
  let uploads: FsObjectStore;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lectern-pdf-upload-'));
    uploads = new FsObjectStore(path.join(root, 'uploads'), { bucket: 'uploads' });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const deps = (env: Record<string, string> = {}): Deps => ({ config: parseConfig(env), uploads }) as unknown as Deps;

  const upload = (fileName: string, body: Uint8Array): Promise<ValidateInput> => uploaded(uploads, fileName, body);

  it('rejects a hidden Launch action with a reason that says where it is', async () => {
    const input = await upload('notes.pdf', simplePdf({ catalog: '/OpenAction 10 0 R', extra: [`<< /S /Launch /F ${pdfString('calc.exe')} >>`] }));
    const validation = await validatePdfUpload(input, deps());
    expect(validation.accepted).toBe(false);
    expect(validation.reasons.map((r) => r.code)).toEqual(['pdf.launch-action']);
    expect(validation.reasons[0]!.message).toContain('when the document is opened (OpenAction)');
  });

  it('turns a wall-clock overrun into a transient failure that the state machine retries, never a pdf.timeout verdict', async () => {
    const input = await upload('heavy.pdf', heavyPage());
    const error = await validatePdfUpload(input, deps({ LECTERN_PDF_TIMEOUT_MS: '100' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).name).not.toBeOneOf([...TERMINAL_ERROR_NAMES]);
    expect((error as Error).message).toMatch(/ran out of time while .*tried again/);
  });
});
