import { duckdbFileFixture, duckdbMemoryFixture } from './duckdb-fixtures.js';
import { describeWarehouseConformance } from './warehouse-conformance.js';

describeWarehouseConformance('duckdb (file)', duckdbFileFixture);
describeWarehouseConformance('duckdb (:memory:)', duckdbMemoryFixture);
