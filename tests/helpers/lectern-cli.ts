/** `lectern` as a user runs it: `bin/lectern.js` in a subprocess, with its exit code and output. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const LECTERN_BIN = path.resolve('bin/lectern.js');

export interface LecternOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lectern <args>` in `cwd`; a non-zero exit is an outcome, not an exception. */
export async function lectern(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<LecternOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [LECTERN_BIN, ...args], { cwd, env, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
