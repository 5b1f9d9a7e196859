import type { ServerResponse } from 'node:http';
import { googleError, reply } from './double-http.js';
import type { RequestKind } from './double-routes.js';

/** A failure to inject, matched by request kind and (for query jobs) the job's `tide` label. */
export interface Fault {
  readonly on: RequestKind;
  readonly label?: string;
  /** Answer the HTTP call with this error (`createJob`: but create the job first, as if the answer got lost). */
  readonly http?: {
    readonly status: number;
    readonly reason: string;
    readonly message: string;
    readonly createJob?: boolean;
  };
  /** Let the job run and finish DONE with this errorResult. */
  readonly jobError?: { readonly reason: string; readonly message: string };
  times?: number;
}

/** The faults a test queued, each spent by the requests it matches (`times`, default once). */
export class DoubleFaults {
  readonly #faults: Fault[] = [];

  add(fault: Fault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  take(kind: RequestKind, label: string | undefined): Fault | undefined {
    const i = this.#faults.findIndex((f) => f.on === kind && (f.label === undefined || f.label === label));
    if (i < 0) return undefined;
    const fault = this.#faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(i, 1);
    return fault;
  }
}

export function replyFault(res: ServerResponse, http: NonNullable<Fault['http']>): void {
  reply(res, http.status, googleError(http.status, http.reason, http.message));
}
