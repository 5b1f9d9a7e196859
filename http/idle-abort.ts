import { TideError } from '../core/tide-error.js';

/**
 * Aborts when no data has arrived for `ms`: a download may take many minutes, but one that stops
 * sending must not hang the run.
 */
export class IdleAbort {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: ReturnType<typeof setTimeout>;

  constructor(ms: number) {
    this.#ms = ms;
    this.#timer = this.#arm();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  async *watch(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
    try {
      if (body === null) return;
      this.#reset();
      for await (const chunk of body) {
        this.#reset();
        yield chunk;
      }
    } catch (error) {
      if (this.#controller.signal.aborted) {
        throw new TideError('http_error', `the download stopped sending for ${this.#ms / 1000} s`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      this.stop();
      // A consumer that stops early releases the connection.
      if (body !== null && !body.locked) await body.cancel().catch(() => {});
    }
  }

  #reset(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#arm();
  }

  #arm(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#controller.abort(new Error('idle timeout')), this.#ms);
    timer.unref?.();
    return timer;
  }
}
