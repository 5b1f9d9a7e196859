/**
 * Counts every HTTP exchange by source, endpoint and status. The extract runner writes the counts to
 * `tide.requests`, which the quality models read for API error rates.
 */
export interface RequestEntry {
  readonly source: string;
  readonly endpoint: string;
  readonly status: number; // 0 = no response (timeout, connection error)
}

export interface RequestLog {
  record(entry: RequestEntry): void;
}

export class CountingRequestLog implements RequestLog {
  readonly #counts = new Map<string, { entry: RequestEntry; count: number }>();

  record(entry: RequestEntry): void {
    const key = `${entry.source}\u0000${entry.endpoint}\u0000${entry.status}`;
    const row = this.#counts.get(key);
    if (row) row.count += 1;
    else this.#counts.set(key, { entry, count: 1 });
  }

  rows(): readonly {
    readonly source: string;
    readonly endpoint: string;
    readonly status: number;
    readonly count: number;
  }[] {
    return [...this.#counts.values()].map(({ entry, count }) => ({ ...entry, count }));
  }

  total(source?: string): number {
    let n = 0;
    for (const { entry, count } of this.#counts.values())
      if (source === undefined || entry.source === source) n += count;
    return n;
  }
}
