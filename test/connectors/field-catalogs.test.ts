import { describe, expect, it } from 'vitest';
import { hubspotColumns, hubspotField } from '../../connectors/hubspot/hubspot-field-catalog.js';
import { customFieldMap } from '../../connectors/pipedrive/pipedrive-columns.js';
import { pipedriveField, STANDARD_COLUMNS } from '../../connectors/pipedrive/pipedrive-field-catalog.js';
import { logicalType, salesforceField } from '../../connectors/salesforce/salesforce-field-catalog.js';
import type { LogicalType } from '../../core/column-spec.js';
import type { CrmFieldType } from '../../core/destination.js';

/**
 * Each CRM's field catalog types a field once for both directions: what extraction loads into a
 * column is what reverse ETL validates and writes back. A written kind must load as a column that
 * can hold it, so a score read from a column can be pushed into the field it came from.
 */
const HOLDS: Readonly<Record<CrmFieldType, readonly LogicalType[]>> = {
  string: ['string'],
  email: ['string'],
  phone: ['string'],
  enumeration: ['string'],
  'multi-enumeration': ['string', 'json'],
  number: ['number', 'integer'],
  boolean: ['boolean'],
  date: ['date'],
  datetime: ['timestamp'],
  unsupported: ['string', 'json', 'integer', 'number', 'boolean', 'date', 'timestamp'],
};

function expectAgreement(vendorType: string, column: LogicalType | undefined, value: CrmFieldType): void {
  expect(column, `${vendorType}: no column type`).toBeDefined();
  expect(HOLDS[value], `${vendorType}: written as ${value} but loaded as ${column}`).toContain(column);
}

describe('field catalogs: one type per field for both directions', () => {
  it('HubSpot: every property type loads as a column that holds what reverse ETL writes', () => {
    const types = [
      'string',
      'enumeration',
      'phone_number',
      'number',
      'bool',
      'datetime',
      'date',
      'json',
      'new_type',
    ];
    for (const type of types) {
      const property = { name: `p_${type}`, type, options: [] };
      const [column] = hubspotColumns([property]);
      expectAgreement(type, column?.type, hubspotField('contacts', property).type);
    }
    expect(hubspotField('contacts', { name: 'tide_score', type: 'number' }).type).toBe('number');
    expect(hubspotColumns([{ name: 'tide_score', type: 'number' }])[0]?.type).toBe('number');
    expect(hubspotField('contacts', { name: 'x', type: 'enumeration', fieldType: 'checkbox' }).type).toBe(
      'multi-enumeration',
    );
  });

  it('Salesforce: every describe type loads as a column that holds what reverse ETL writes', () => {
    const types = [
      ...['id', 'reference', 'string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone'],
      ...['url', 'encryptedstring', 'time', 'anyType', 'boolean', 'int', 'long', 'double', 'currency'],
      ...['percent', 'date', 'datetime', 'new_type'],
    ];
    for (const type of types) {
      for (const restrictedPicklist of [false, true]) {
        const field = salesforceField({ name: `F_${type}__c`, type, restrictedPicklist });
        expectAgreement(type, logicalType(type), field.type);
      }
    }
    expect(salesforceField({ name: 'Level__c', type: 'picklist', restrictedPicklist: true }).type).toBe(
      'enumeration',
    );
    expect(salesforceField({ name: 'Level__c', type: 'picklist' }).type).toBe('string');
  });

  it('Pipedrive: custom and standard fields load as columns that hold what reverse ETL writes', () => {
    const types = [
      'varchar',
      'varchar_auto',
      'text',
      'phone',
      'enum',
      'set',
      'double',
      'int',
      'date',
      'time',
    ];
    for (const type of [...types, 'monetary', 'address', 'user', 'org', 'people', 'new_type']) {
      const key = 'a'.repeat(39) + type.length.toString(16);
      const field = { key, name: `Custom ${type}`, field_type: type, edit_flag: true, options: [] };
      const column = customFieldMap([field], []).columns[0];
      expectAgreement(type, column?.type, pipedriveField('persons', field).type);
    }
    const standard = [
      ['persons', 'name'],
      ['persons', 'job_title'],
      ['organizations', 'annual_revenue'],
      ['deals', 'value'],
    ] as const;
    for (const [object, key] of standard) {
      const field = pipedriveField(object, { key, name: key, field_type: 'varchar' });
      expect(field.readOnlyReason, `${object}.${key} is writable`).toBeNull();
      const column = STANDARD_COLUMNS[object]?.find(([name]) => name === key)?.[1];
      expectAgreement(`${object}.${key}`, column, field.type);
    }
    expect(pipedriveField('deals', { key: 'value', name: 'Value', field_type: 'monetary' }).type).toBe(
      'number',
    );
  });
});
