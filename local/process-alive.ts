/** Whether a process is still there: an execution or a transcode whose process is gone was interrupted. */

/** Whether a process of this host is alive (a signal 0 reaches it, or it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}
