import type { SimResponse } from '../kit/sim-types.js';
import { deltaLink, parseDeltaToken } from './dynamics-delta-token.js';
import { badRequest, dataverseError } from './dynamics-errors.js';
import { type FormatContext, formatRow } from './dynamics-format.js';
import { link, type PageState } from './dynamics-page-state.js';
import { appliedPreferences } from './dynamics-prefer.js';
import { context, ok, type ReadRequest } from './dynamics-read-request.js';
import type { DynamicsStore } from './dynamics-store.js';

const EXPIRED = 'Version stamp associated with the client has expired. Please perform a full sync.';

/**
 * Change tracking: the snapshot (`Prefer: odata.track-changes`, the last page carries
 * `@odata.deltaLink`) and delta reads (`$deltatoken`: changed rows, then `$deletedEntity` rows, then
 * a new delta link). Delta tokens are `<row version>!<MM/dd/yyyy HH:mm:ss>` like Dataverse's and
 * expire after `expireChangeTrackingInDays` of the simulator clock.
 */
export class ChangeTrackingReader {
  readonly #store: DynamicsStore;
  readonly #expireDays: () => number;

  constructor(store: DynamicsStore, expireDays: () => number) {
    this.#store = store;
    this.#expireDays = expireDays;
  }

  snapshot(
    req: ReadRequest,
    format: FormatContext,
    pageSize: number,
    state: (PageState & { m: 'snapshot' }) | null,
  ): SimResponse {
    const { table } = req;
    const value: Record<string, unknown>[] = [];
    let i = state === null ? 0 : state.after + 1;
    let last = -1;
    for (; i < table.size && value.length < pageSize; i++) {
      const row = table.row(i);
      if (row === null) continue;
      value.push(formatRow(format, row, table.version(i)));
      last = i;
    }
    let more = false;
    for (let j = i; j < table.size; j++) {
      if (!table.isDeleted(j)) {
        more = true;
        break;
      }
    }
    const body: Record<string, unknown> = { '@odata.context': context(req, format.select), value };
    if (more)
      body['@odata.nextLink'] = link(req, { m: 'snapshot', page: (state?.page ?? 1) + 1, after: last });
    // The token is taken when the last page is served (INFERENCE from MicrosoftDocs/powerapps-docs
    // issue 3862): changes made while a long snapshot was paged are not in the next delta.
    else body['@odata.deltaLink'] = deltaLink(req, this.#store.currentVersion, this.#store.clock.now());
    return ok(body, appliedPreferences(req.prefs, pageSize, true));
  }

  delta(
    req: ReadRequest,
    format: FormatContext,
    pageSize: number,
    token: string | null,
    state: PageState | null,
  ): SimResponse {
    const { table } = req;
    let from: number;
    let to: number;
    let offset = 0;
    if (state?.m === 'delta') {
      ({ from, to, offset } = state);
    } else {
      const parsed = parseDeltaToken(token ?? '');
      if (parsed === null) return badRequest('The delta token is not valid.', '');
      if (this.#store.clock.now() - parsed.issuedMs > this.#expireDays() * 86_400_000)
        return dataverseError(400, '', EXPIRED);
      from = parsed.version;
      to = this.#store.currentVersion;
    }
    // The change set is fixed at the first page, so paging a delta loses nothing written meanwhile.
    const changed = table.changedSince(from, to);
    const live = changed.filter((i) => !table.isDeleted(i));
    const gone = changed.filter((i) => table.isDeleted(i));
    const ordered = [...live, ...gone];
    const page = ordered.slice(offset, offset + pageSize);
    const value = page.map((i) =>
      table.isDeleted(i)
        ? {
            '@odata.context': `${req.root}/$metadata#${table.entity.entitySetName}/$deletedEntity`,
            id: table.idAt(i),
            reason: 'deleted',
          }
        : formatRow(format, table.liveRow(i), table.version(i)),
    );
    const body: Record<string, unknown> = {
      '@odata.context': `${context(req, format.select)}/$delta`,
      value,
    };
    if (offset + pageSize < ordered.length) {
      body['@odata.nextLink'] = link(req, {
        m: 'delta',
        page: Math.floor(offset / pageSize) + 2,
        from,
        to,
        offset: offset + pageSize,
      });
    } else body['@odata.deltaLink'] = deltaLink(req, to, this.#store.clock.now());
    return ok(body, appliedPreferences(req.prefs, pageSize, false));
  }
}
