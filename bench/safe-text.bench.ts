import { loadavg } from 'node:os';
import { safeRecord } from '../extract/safe-text.js';

/**
 * The cost of making every CRM string valid Unicode before the load (extract/safe-text.ts), per
 * record, next to the JSON.stringify the load already does for `_tide_record` of the same record.
 * Records look like HubSpot contacts (15 fields, one with an emoji so the slower check runs); all are
 * clean, as nearly all real ones are. Usage: npx tsx bench/safe-text.bench.ts [records]
 */
const n = Number(process.argv[2] ?? 200_000);
const records = Array.from({ length: n }, (_, i) => ({
  id: String(100_000 + i),
  updatedAt: '2025-12-31T23:59:59.999Z',
  deleted: false,
  fields: {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: `ada${i}@example.com`,
    phone: '+1 415 555 0123',
    company: 'Acme Inc',
    jobtitle: 'CTO',
    city: 'Berlin',
    country: 'DE',
    lifecyclestage: 'lead',
    hs_object_id: String(i),
    createdate: '2024-01-01T00:00:00Z',
    lastmodifieddate: '2025-12-31T23:59:59.999Z',
    notes: 'Über café 😀 ok',
    owner: '12345',
    associated: [1, 2, 3],
  },
}));

function time(what: string, work: () => void): void {
  const start = process.hrtime.bigint();
  work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(
    `${what}: ${((ms * 1000) / n).toFixed(2)} µs/record (${n} records, ${ms.toFixed(0)} ms)\n`,
  );
}

process.stdout.write(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
for (let round = 1; round <= 3; round++) {
  time(`round ${round} safeRecord`, () => {
    const found = { values: 0 };
    for (const r of records) if (safeRecord(r, found) !== r) throw new Error('a clean record was copied');
  });
  time(`round ${round} JSON.stringify (reference)`, () => {
    let bytes = 0;
    for (const r of records) bytes += JSON.stringify(r.fields).length;
    if (bytes === 0) throw new Error('nothing serialized');
  });
}
process.stdout.write(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
