import type { ColumnSpec } from '../../core/column-spec.js';
import type { RecordBatch } from '../../core/record.js';
import type { ReadContext, Stream } from '../../core/source.js';
import { readChanges } from './dynamics-change-read.js';
import type { DynamicsClient } from './dynamics-client.js';
import { DynamicsColumns } from './dynamics-columns.js';
import { type DataverseTable, loadTable } from './dynamics-metadata.js';
import { readWindows } from './dynamics-window-read.js';

export interface DynamicsStreamOptions {
  /** The entity set name (`contacts`): the stream's and the raw table's name. */
  readonly name: string;
  readonly logicalName: string;
  readonly client: DynamicsClient;
  readonly changeTracking: 'auto' | 'off';
  readonly pageSize: number;
  readonly overlapMs: number;
  readonly reconcileEveryDays: number;
}

/**
 * One Dataverse table, keyed by its primary id, with every readable column (custom ones from the
 * metadata API). Read through change tracking when the table has it (dynamics-change-read.ts),
 * otherwise by modifiedon windows (dynamics-window-read.ts).
 */
export class DynamicsStream implements Stream {
  readonly name: string;
  readonly cursorField = 'modifiedon';
  readonly #o: DynamicsStreamOptions;
  #current: Promise<DataverseTable> | null = null;

  constructor(options: DynamicsStreamOptions) {
    this.#o = options;
    this.name = options.name;
  }

  /** This run's metadata: read once per run (columns() and read() agree), again for the next run. */
  #table(signal?: AbortSignal): Promise<DataverseTable> {
    if (this.#current === null) {
      const pending = loadTable(this.#o.client, this.#o.logicalName, signal);
      this.#current = pending;
      pending.catch(() => {
        if (this.#current === pending) this.#current = null;
      });
    }
    return this.#current;
  }

  async columns(): Promise<readonly ColumnSpec[]> {
    return new DynamicsColumns(await this.#table()).specs();
  }

  async *read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    try {
      yield* this.#read(ctx);
    } finally {
      // A column added in Dataverse since shows up (typed) in the next run's columns.
      this.#current = null;
    }
  }

  async *#read(ctx: ReadContext): AsyncGenerator<RecordBatch> {
    const o = this.#o;
    const table = await this.#table(ctx.signal);
    const columns = new DynamicsColumns(table);
    const common = { stream: o.name, client: o.client, columns, pageSize: o.pageSize, ctx };
    if (o.changeTracking === 'auto' && table.changeTracking) {
      ctx.log.info(
        `dynamics.${o.name}: ${ctx.cursor?.token === undefined || ctx.fullRefresh ? 'change-tracking snapshot' : 'delta since the saved link'}`,
      );
      yield* readChanges(common);
    } else {
      yield* readWindows({ ...common, overlapMs: o.overlapMs, reconcileEveryDays: o.reconcileEveryDays });
    }
  }
}
