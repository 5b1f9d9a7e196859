/** Counts of what a simulator served, by endpoint and status: tests assert API-call budgets on it. */
export interface StatsSnapshot {
  readonly total: number;
  readonly writes: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byEndpointStatus: Readonly<Record<string, number>>;
}

export class RequestStats {
  #total = 0;
  #writes = 0;
  /** Successful write requests per record id (what the backend says each write named). */
  #writesById = new Map<string, number>();
  #byEndpoint = new Map<string, number>();
  #byStatus = new Map<string, number>();
  #byEndpointStatus = new Map<string, number>();

  record(endpoint: string, status: number, isWrite: boolean): void {
    this.#total++;
    if (isWrite) this.#writes++;
    bump(this.#byEndpoint, endpoint);
    bump(this.#byStatus, String(status));
    bump(this.#byEndpointStatus, `${endpoint} ${status}`);
  }

  /** One successful write request named these records. */
  recordWrite(ids: readonly string[]): void {
    for (const id of ids) bump(this.#writesById, id);
  }

  /** Record id → write requests that named it, since the last reset. */
  writesById(): Record<string, number> {
    return Object.fromEntries(this.#writesById);
  }

  reset(): void {
    this.#total = 0;
    this.#writes = 0;
    this.#writesById.clear();
    this.#byEndpoint.clear();
    this.#byStatus.clear();
    this.#byEndpointStatus.clear();
  }

  snapshot(): StatsSnapshot {
    return {
      total: this.#total,
      writes: this.#writes,
      byEndpoint: Object.fromEntries(this.#byEndpoint),
      byStatus: Object.fromEntries(this.#byStatus),
      byEndpointStatus: Object.fromEntries(this.#byEndpointStatus),
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
