import type { SalesforceStore } from './salesforce-store.js';
import type { SimField } from './sobject-schema.js';
import type { SObjectTable } from './sobject-table.js';

const SOAP_TYPES: Readonly<Record<string, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
  location: 'urn:location',
};

/** `GET /sobjects/{type}/describe`: the DescribeSObjectResult shape of the sObjects OpenAPI document. */
export function describeSObject(table: SObjectTable, version: string): Record<string, unknown> {
  const s = table.schema;
  const base = `/services/data/v${version}/sobjects/${s.name}`;
  return {
    name: s.name,
    label: s.label,
    labelPlural: s.labelPlural,
    keyPrefix: s.keyPrefix,
    custom: false,
    customSetting: false,
    createable: s.name !== 'User',
    updateable: true,
    deletable: s.deletable,
    undeletable: s.deletable,
    mergeable: ['Account', 'Contact', 'Lead'].includes(s.name),
    queryable: true,
    retrieveable: true,
    replicateable: true,
    searchable: true,
    triggerable: true,
    layoutable: true,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    fields: s.fields.map(describeField),
    childRelationships: [],
    recordTypeInfos: [],
    urls: {
      sobject: base,
      describe: `${base}/describe`,
      rowTemplate: `${base}/{ID}`,
    },
  };
}

function describeField(f: SimField): Record<string, unknown> {
  const text = ![
    'boolean',
    'int',
    'double',
    'currency',
    'percent',
    'date',
    'datetime',
    'address',
    'location',
  ].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length:
      f.type === 'id' || f.type === 'reference' ? 18 : text ? (f.type === 'textarea' ? 32_000 : 255) : 0,
    byteLength: text ? 765 : 0,
    precision: f.type === 'currency' || f.type === 'double' ? 18 : 0,
    scale: f.type === 'currency' || f.type === 'double' ? 2 : 0,
    digits: f.type === 'int' ? 9 : 0,
    custom: f.custom,
    calculated: f.calculated,
    calculatedFormula: f.formula ?? null,
    createable: f.createable,
    updateable: f.updateable,
    nillable: !['Id', 'IsDeleted', 'CreatedDate', 'SystemModstamp', 'LastModifiedDate'].includes(f.name),
    defaultedOnCreate: [
      'Id',
      'IsDeleted',
      'CreatedDate',
      'SystemModstamp',
      'LastModifiedDate',
      'OwnerId',
    ].includes(f.name),
    externalId: f.externalId === true,
    idLookup: f.type === 'id' || f.externalId === true || f.type === 'email',
    unique: f.type === 'id' || f.externalId === true,
    caseSensitive: false,
    filterable: f.type !== 'textarea',
    sortable: f.type !== 'textarea',
    groupable: f.type !== 'textarea' && f.type !== 'double',
    aggregatable: true,
    autoNumber: false,
    htmlFormatted: false,
    encrypted: false,
    compoundFieldName: f.compoundFieldName ?? null,
    picklistValues: (f.picklist ?? []).map((value, i) => ({
      label: value,
      value,
      active: true,
      defaultValue: i === 0 && f.name === 'Status',
    })),
    restrictedPicklist: f.restricted === true,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.type === 'reference' && f.name.endsWith('Id') ? f.name.slice(0, -2) : null,
    deprecatedAndHidden: false,
  };
}

/** `GET /sobjects`: the org's objects (DescribeGlobalResult). */
export function describeGlobal(store: SalesforceStore, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: store.tables().map((t) => ({
      name: t.schema.name,
      label: t.schema.label,
      labelPlural: t.schema.labelPlural,
      keyPrefix: t.schema.keyPrefix,
      custom: false,
      queryable: true,
      replicateable: true,
      deletable: t.schema.deletable,
      urls: {
        sobject: `/services/data/v${version}/sobjects/${t.schema.name}`,
        describe: `/services/data/v${version}/sobjects/${t.schema.name}/describe`,
      },
    })),
  };
}
