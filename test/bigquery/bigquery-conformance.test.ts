import { describeWarehouseConformance } from '../warehouse/warehouse-conformance.js';
import { bigqueryDoubleFixture } from './bigquery-conformance-fixture.js';

describeWarehouseConformance('bigquery (double + oracle)', bigqueryDoubleFixture);
