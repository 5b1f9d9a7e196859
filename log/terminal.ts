import cliProgress from 'cli-progress';

/** ANSI "erase to the end of the line". */
const CLEAR_TO_END = '\u001b[K';

/** Where a Terminal writes: process.stderr, or a test's capture. */
export interface TerminalStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * The one writer of the human output on stderr: log lines and progress bars both go through it, so
 * a log line never lands in the middle of a bar being redrawn (cli-progress draws its bars with
 * cursor movements; a plain `stderr.write` between two redraws is overwritten or split). While bars
 * are shown, lines go through cli-progress's own log buffer, printed above the bars at the next
 * redraw; otherwise straight to the stream.
 *
 * Nothing is animated unless the stream is a TTY: under cron, systemd or a pipe there are no bars,
 * only whole lines.
 */
export class Terminal {
  readonly #stream: TerminalStream;
  readonly animated: boolean;
  #bars: cliProgress.MultiBar | null = null;

  constructor(options: { stream?: TerminalStream; animated?: boolean } = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.animated = (options.animated ?? true) && this.#stream.isTTY === true;
  }

  /** Writes one whole line (no trailing newline needed). */
  line(text: string): void {
    // Above the bars, a line is written over a bar's old line: clear what a longer bar left there.
    if (this.#bars !== null) this.#bars.log(`${text}${CLEAR_TO_END}\n`);
    else this.#stream.write(`${text}\n`);
  }

  removeBar(bar: cliProgress.SingleBar): void {
    this.#bars?.remove(bar);
  }

  /** The bar area, created on first use; null when nothing may be animated. */
  bars(format: cliProgress.GenericFormatter): cliProgress.MultiBar | null {
    if (!this.animated) return null;
    this.#bars ??= new cliProgress.MultiBar(
      {
        format,
        hideCursor: true,
        clearOnComplete: false,
        // A bar line longer than the terminal would wrap and break the redraw.
        linewrap: false,
        etaBuffer: 20,
        // The run handles SIGINT/SIGTERM itself (a graceful stop); the bars must not exit first.
        gracefulExit: false,
        stream: this.#stream as NodeJS.WriteStream,
      },
      cliProgress.Presets.shades_classic,
    );
    return this.#bars;
  }

  /** Draws the bars one last time (with the lines still buffered above them) and leaves them. */
  stopBars(): void {
    const bars = this.#bars;
    if (bars === null) return;
    this.#bars = null;
    bars.update();
    bars.stop();
  }
}
