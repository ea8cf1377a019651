/**
 * Whether a process (or, with a negative pid, a process group) still exists: signal 0 checks without sending
 * anything; EPERM means it exists under another user.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
