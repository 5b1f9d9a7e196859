import { afterEach, describe, expect, it } from 'vitest';
import { Invocation } from '../../cli/invocation.js';

describe("a run's stop signal (SIGINT / SIGTERM)", () => {
  let invocation: Invocation | null = null;
  afterEach(() => {
    // Removes the signal handlers stopSignal() installed.
    invocation?.finish(0);
  });

  it('is shared by every request in flight without Node warning of a listener leak', async () => {
    invocation = new Invocation({ json: true, verbose: false, write: () => {} });
    const signal = invocation.stopSignal(invocation.logger());
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      // As a backoff wait or fetch does per request in flight: a listener on the run's signal.
      let heard = 0;
      for (let i = 0; i < 25; i++) signal.addEventListener('abort', () => heard++, { once: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toEqual([]);
      expect(heard).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
