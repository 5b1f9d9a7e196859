/** The record times and stream the warehouse checks share. */
export const T1 = '2024-03-01T10:00:00.000Z';
export const T2 = '2024-03-02T10:00:00.000Z';
export const T3 = '2024-03-03T10:00:00.000Z';
export const T4 = '2024-03-04T10:00:00.000Z';
export const S = { source: 'crm', stream: 'contacts' };

/** Raw rows by record id, in the order the query returned them. */
export const byId = (rows: readonly Readonly<Record<string, unknown>>[]) =>
  new Map(rows.map((r) => [String(r._tide_id), r]));
