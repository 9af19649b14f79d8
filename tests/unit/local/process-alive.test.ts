/**
 * processAlive decides whether an execution, a transcode or a state folder was left by a process
 * that is gone. A damaged record's pid (0, negative, not a number) must read as gone: signal 0 to
 * 0 or -1 reaches this process's group or every process, and would keep the record "alive" forever.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../../local/process-alive.js';

describe('processAlive', () => {
  it('sees this process', () => {
    expect(processAlive(process.pid)).toBe(true);
  });

  it('reads a process that has exited as gone', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    expect(processAlive(child.pid!)).toBe(false);
  });

  it('reads the pid of a damaged record (0, negative, not an integer) as gone', () => {
    for (const pid of [0, -1, Number.NaN, 1.5]) expect(processAlive(pid), String(pid)).toBe(false);
  });
});
