import { fstatSync } from 'node:fs';

/**
 * The life of a simulator run as its own process (benchmarks keep its memory and CPU apart from the
 * pipeline's): print one JSON line saying where it listens (plus its pid) once it does, then serve
 * until SIGTERM/SIGINT, or until the parent's stdin pipe closes, so it dies with a parent that forgets
 * to stop it.
 */
export function serveSimulatorProcess(
  simulator: { close(): Promise<void> },
  announcement: Readonly<Record<string, unknown>>,
): void {
  process.stdout.write(`${JSON.stringify({ ...announcement, pid: process.pid })}\n`);
  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A shell pipe is a FIFO and Node's spawn 'pipe' a socket: both close when the parent dies. A
  // terminal or /dev/null (stdio 'ignore') is neither, and /dev/null would read as closed at once.
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}
