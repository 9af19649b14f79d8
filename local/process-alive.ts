/**
 * Whether a process of this host is alive (a signal 0 reaches it, or it exists but is not ours):
 * an execution, a transcode or a state folder whose process is gone was interrupted or is free.
 * A pid that is not a positive integer (a damaged record) is no process: signal 0 to 0 or −1
 * would reach this process's group or every process and read as alive.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}
