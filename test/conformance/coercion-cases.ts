import type { LogicalType } from '../../core/column-spec.js';

/**
 * CRM value → what query() returns from its typed column. Inputs are what the CRMs really send
 * (HubSpot: everything as strings, epoch-ms timestamps; Salesforce: `+0000` offsets; Pipedrive:
 * zone-less `YYYY-MM-DD HH:MM:SS` in UTC). `expected: null` means "does not parse": the column is
 * NULL and the original stays in `_tide_record`.
 */
export interface CoercionCase {
  readonly type: LogicalType;
  readonly input: unknown;
  readonly expected: unknown;
}

const NOON = '2024-01-31T12:00:00.000Z';

export const COERCION_CASES: readonly CoercionCase[] = [
  { type: 'string', input: 'plain', expected: 'plain' },
  { type: 'string', input: 42, expected: '42' },
  { type: 'string', input: true, expected: 'true' },
  { type: 'string', input: { a: 1 }, expected: '{"a":1}' },
  { type: 'string', input: '', expected: '' },
  { type: 'integer', input: '42', expected: 42 },
  { type: 'integer', input: 42, expected: 42 },
  { type: 'integer', input: ' -7 ', expected: -7 },
  { type: 'integer', input: '42.0', expected: 42 },
  { type: 'integer', input: '1e3', expected: 1000 },
  { type: 'integer', input: '9007199254740993', expected: '9007199254740993' },
  { type: 'integer', input: '12.5', expected: null },
  { type: 'integer', input: 'forty', expected: null },
  { type: 'integer', input: '', expected: null },
  { type: 'integer', input: '99999999999999999999', expected: null },
  { type: 'number', input: '123.5', expected: 123.5 },
  { type: 'number', input: '-0.25', expected: -0.25 },
  { type: 'number', input: 7, expected: 7 },
  { type: 'number', input: '1,5', expected: null },
  { type: 'number', input: 'NaN', expected: null },
  { type: 'number', input: '0x10', expected: null },
  { type: 'number', input: '', expected: null },
  { type: 'boolean', input: 'true', expected: true },
  { type: 'boolean', input: 'FALSE', expected: false },
  { type: 'boolean', input: false, expected: false },
  { type: 'boolean', input: '1', expected: true },
  { type: 'boolean', input: 'maybe', expected: null },
  { type: 'timestamp', input: '1706702400000', expected: NOON },
  { type: 'timestamp', input: 1706702400000, expected: NOON },
  { type: 'timestamp', input: '2024-01-31T12:00:00Z', expected: NOON },
  { type: 'timestamp', input: '2024-01-31T13:00:00.000+01:00', expected: NOON },
  { type: 'timestamp', input: '2024-01-31T12:00:00.000+0000', expected: NOON },
  { type: 'timestamp', input: '2024-01-31 12:00:00', expected: NOON },
  { type: 'timestamp', input: '2024-01-31', expected: '2024-01-31T00:00:00.000Z' },
  { type: 'timestamp', input: '2024-01-31T12:00:00.123456Z', expected: '2024-01-31T12:00:00.123Z' },
  { type: 'timestamp', input: 'yesterday', expected: null },
  { type: 'timestamp', input: '2024-02-30T00:00:00Z', expected: null },
  { type: 'timestamp', input: '', expected: null },
  { type: 'date', input: '2024-01-31', expected: '2024-01-31' },
  { type: 'date', input: '1706702400000', expected: '2024-01-31' },
  { type: 'date', input: '2024-01-31T23:30:00-02:00', expected: '2024-02-01' },
  { type: 'date', input: '31/01/2024', expected: null },
  { type: 'json', input: { tags: ['a', 'b'], n: 1 }, expected: { tags: ['a', 'b'], n: 1 } },
  { type: 'json', input: [1, 'x'], expected: [1, 'x'] },
  { type: 'json', input: '{"k":true}', expected: { k: true } },
  { type: 'json', input: 'plain text', expected: 'plain text' },
  { type: 'json', input: 5, expected: 5 },
  { type: 'string', input: null, expected: null },
  { type: 'number', input: null, expected: null },
  { type: 'json', input: null, expected: null },
];
