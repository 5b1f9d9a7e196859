import type { SimResponse } from '../kit/sim-types.js';
import type { Preferences } from './dynamics-prefer.js';
import type { DynamicsTable } from './dynamics-table.js';

/** A GET of a table's rows, as every read path (list, snapshot, delta, single row) receives it. */
export interface ReadRequest {
  /** `http://host/api/data/v9.2`: where links and contexts point. */
  readonly root: string;
  readonly table: DynamicsTable;
  readonly query: URLSearchParams;
  readonly prefs: Preferences;
}

/** The `@odata.context` of a collection page, naming the selected columns as Dataverse does. */
export function context(req: ReadRequest, select: readonly string[] | null): string {
  const set = req.table.entity.entitySetName;
  return `${req.root}/$metadata#${set}${select === null ? '' : `(${select.join(',')})`}`;
}

/** A collection page, with the `Preference-Applied` header when any preference was honoured. */
export function ok(body: Record<string, unknown>, applied: string | null): SimResponse {
  return {
    status: 200,
    headers: { 'OData-Version': '4.0', ...(applied === null ? {} : { 'Preference-Applied': applied }) },
    json: body,
  };
}
