import { duckdbFileFixture, duckdbMemoryFixture } from './duckdb-warehouse-fixture.js';
import { describeWarehouseConformance } from './warehouse-conformance.js';

describeWarehouseConformance('duckdb (file)', duckdbFileFixture);
describeWarehouseConformance('duckdb (:memory:)', duckdbMemoryFixture);
