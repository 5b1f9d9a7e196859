import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

/**
 * One gzip-compressed newline-delimited JSON file on local disk, written line by line with
 * backpressure: a load package holds one line in memory at a time, whatever the file's size.
 */
export class NdjsonLoadFile {
  readonly path: string;
  readonly #gzip: Gzip;
  readonly #done: Promise<void>;
  #rows = 0;
  #bytes = 0;

  private constructor(path: string, gzip: Gzip, out: WriteStream) {
    this.path = path;
    this.#gzip = gzip;
    this.#done = pipeline(gzip, out);
    // Surfaced by close(); without a handler an early disk error would crash the process.
    this.#done.catch(() => undefined);
  }

  static create(path: string): NdjsonLoadFile {
    return new NdjsonLoadFile(path, createGzip(), createWriteStream(path, { flags: 'wx' }));
  }

  get rows(): number {
    return this.#rows;
  }

  /** Uncompressed bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  async writeLine(json: string): Promise<void> {
    this.#rows++;
    this.#bytes += Buffer.byteLength(json) + 1;
    if (!this.#gzip.write(`${json}\n`)) await Promise.race([once(this.#gzip, 'drain'), this.#done]);
  }

  /** Finishes the file; resolves once every byte is on disk. */
  async close(): Promise<void> {
    this.#gzip.end();
    await this.#done;
  }

  /** Stops writing and deletes the file. */
  async discard(): Promise<void> {
    this.#gzip.destroy();
    await this.#done.catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
