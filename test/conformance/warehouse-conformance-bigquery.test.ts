import { bigqueryDoubleFixture } from './bigquery-warehouse-fixture.js';
import { describeWarehouseConformance } from './warehouse-conformance.js';

describeWarehouseConformance('bigquery (double + oracle)', bigqueryDoubleFixture);
