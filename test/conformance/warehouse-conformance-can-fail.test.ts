import { describe, expect, it } from 'vitest';
import type { LoadPackage, LoadTarget, Warehouse } from '../../load/warehouse.js';
import { duckdbMemoryFixture } from './duckdb-warehouse-fixture.js';
import { warehouseChecks } from './warehouse-checks.js';
import { type WarehouseCheck, type WarehouseFixtureFactory, WarehouseHarness } from './warehouse-harness.js';

/**
 * The suite must be able to fail (the Singer SDK's uniqueness test could not). Each broken warehouse
 * below wraps a real DuckDB warehouse with one classic bug; the check that guards against that bug
 * must reject it, while the same check passes on the unbroken warehouse.
 */
type PackageBug = (pkg: LoadPackage, target: LoadTarget, inner: Warehouse) => LoadPackage;

function brokenFixture(bug: PackageBug): WarehouseFixtureFactory {
  return async () => {
    const fixture = await duckdbMemoryFixture();
    return {
      ...fixture,
      open: async () => {
        const inner = await fixture.open();
        const broken: Warehouse = {
          dialect: inner.dialect,
          init: () => inner.init(),
          healRawTable: (source, stream) => inner.healRawTable(source, stream),
          beginLoad: async (target) => bug(await inner.beginLoad(target), target, inner),
          readCursor: (source, stream) => inner.readCursor(source, stream),
          streamStatus: () => inner.streamStatus(),
          recordRequests: (runId, rows) => inner.recordRequests(runId, rows),
          query: (sql, params) => inner.query(sql, params),
          execute: (sql) => inner.execute(sql),
          close: () => inner.close(),
        };
        return broken;
      },
    };
  };
}

/** A package that hands every call to the real one: each bug below replaces one or two of them. */
const passThrough = (pkg: LoadPackage): LoadPackage => ({
  loadId: pkg.loadId,
  ensureColumns: (columns) => pkg.ensureColumns(columns),
  append: (records) => pkg.append(records),
  appendLiveIds: (ids) => pkg.appendLiveIds(ids),
  commit: (cursor, marks) => pkg.commit(cursor, marks),
  abort: () => pkg.abort(),
});

/**
 * Keeps the OLDEST version: timestamps are mirrored around a pivot before they reach the real
 * warehouse, so its "newest wins" rule picks the oldest. Row counts stay plausible; only the kept
 * versions are wrong.
 */
const PIVOT_MS = Date.parse('2024-06-01T00:00:00.000Z');
const keepsOldestVersion: PackageBug = (pkg) => ({
  ...passThrough(pkg),
  append: (records) =>
    pkg.append(
      records.map((r) => ({
        ...r,
        updatedAt: new Date(2 * PIVOT_MS - Date.parse(r.updatedAt)).toISOString(),
      })),
    ),
});

/** abort() that commits what was staged. */
const abortCommits: PackageBug = (pkg) => ({
  ...passThrough(pkg),
  abort: async () => {
    await pkg.commit(null);
  },
});

/** appendLiveIds that drops the listing: deletes go unnoticed. */
const ignoresLiveIds: PackageBug = (pkg) => ({ ...passThrough(pkg), appendLiveIds: async () => {} });

/** commit() that drops its marks: the delete-check time is never recorded. */
const dropsCommitMarks: PackageBug = (pkg) => ({
  ...passThrough(pkg),
  commit: (cursor) => pkg.commit(cursor),
});

/** abort() that commits with a delete-check time: a check recorded without its data. */
const abortRecordsCheck: PackageBug = (pkg) => ({
  ...passThrough(pkg),
  abort: async () => {
    await pkg.commit(null, { deletesCheckedAt: '2024-03-02T10:00:00.000Z' });
  },
});

async function run(factory: WarehouseFixtureFactory, check: WarehouseCheck): Promise<void> {
  const harness = new WarehouseHarness(await factory());
  await harness.start();
  try {
    await check(harness);
  } finally {
    await harness.end();
  }
}

const upsertCheck =
  warehouseChecks[
    'upsert keeps the newest version: out of order, duplicates in a package, equal timestamps'
  ]!;
const liveIdsCheck =
  warehouseChecks['a live-id listing marks rows neither listed nor loaded as deleted, and only those']!;
const abortCheck = warehouseChecks['abort writes nothing: rows, cursor and status stay as they were']!;
const deletesCheckedCheck =
  warehouseChecks[
    'the time deletes were checked up to is recorded only by a completed load, newest shown by status'
  ]!;

describe('warehouse conformance checks can fail', () => {
  it('the upsert check rejects a warehouse that keeps the oldest version of a record', async () => {
    await expect(run(brokenFixture(keepsOldestVersion), upsertCheck)).rejects.toThrow(/a@T2/);
    await run(duckdbMemoryFixture, upsertCheck);
  });

  it('the live-id check rejects a warehouse that ignores the listing', async () => {
    await expect(run(brokenFixture(ignoresLiveIds), liveIdsCheck)).rejects.toThrow();
    await run(duckdbMemoryFixture, liveIdsCheck);
  });

  it('the delete-check time check rejects a warehouse that drops it, or records it without a commit', async () => {
    await expect(run(brokenFixture(dropsCommitMarks), deletesCheckedCheck)).rejects.toThrow();
    await expect(run(brokenFixture(abortRecordsCheck), deletesCheckedCheck)).rejects.toThrow();
    await run(duckdbMemoryFixture, deletesCheckedCheck);
  });

  it('the abort check rejects a warehouse whose abort commits', async () => {
    await expect(run(brokenFixture(abortCommits), abortCheck)).rejects.toThrow();
    await run(duckdbMemoryFixture, abortCheck);
  });
});
