import { columnChecks } from './warehouse-column-checks.js';
import type { WarehouseCheck } from './warehouse-harness.js';
import { packageChecks } from './warehouse-package-checks.js';
import { queryChecks } from './warehouse-query-checks.js';
import { stateChecks } from './warehouse-state-checks.js';
import { versionChecks } from './warehouse-version-checks.js';

/**
 * The behaviour every Warehouse must show, written against the Warehouse interface and query() only,
 * so the same checks run against DuckDB and the BigQuery double. Each check is a plain function:
 * the suite runs them all, and a test feeds some of them a deliberately broken warehouse to prove
 * they can fail.
 */
export const warehouseChecks: Readonly<Record<string, WarehouseCheck>> = {
  ...versionChecks,
  ...columnChecks,
  ...packageChecks,
  ...stateChecks,
  ...queryChecks,
};
