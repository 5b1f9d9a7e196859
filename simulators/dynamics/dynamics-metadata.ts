import { createHash } from 'node:crypto';
import type { SimResponse } from '../kit/sim-types.js';
import { type AttributeDef, type AttributeType, type EntityDef, isLookup } from './dynamics-entities.js';
import { dataverseError, segmentNotFound } from './dynamics-errors.js';
import { FilterError, parseFilter } from './dynamics-filter.js';

/**
 * The metadata Web API (MicrosoftDocs webapi/query-metadata-web-api.md): `EntityDefinitions`,
 * one definition by `(LogicalName='contact')`, its `Attributes` (base AttributeMetadata properties
 * only, unless cast to a derived type such as `Microsoft.Dynamics.CRM.PicklistAttributeMetadata`,
 * whose `OptionSet` comes with `$expand`) and its alternate `Keys`. Not paged. Lookups also have
 * their name/type companions (`parentcustomeridname`, AttributeOf set), which the Web API does not
 * return as properties: a client must skip them.
 */

const BASE_PROPERTIES = [
  'MetadataId',
  'LogicalName',
  'SchemaName',
  'AttributeType',
  'AttributeTypeName',
  'IsCustomAttribute',
  'IsValidForRead',
  'IsValidForUpdate',
  'IsValidForCreate',
  'IsPrimaryId',
  'IsPrimaryName',
  'AttributeOf',
  'DisplayName',
  'RequiredLevel',
  'EntityLogicalName',
] as const;
const ENTITY_PROPERTIES = [
  'MetadataId',
  'LogicalName',
  'SchemaName',
  'EntitySetName',
  'PrimaryIdAttribute',
  'PrimaryNameAttribute',
  'ChangeTrackingEnabled',
  'IsCustomEntity',
  'DisplayName',
  'ObjectTypeCode',
] as const;

const TYPE_CAST: Readonly<Record<string, readonly AttributeType[]>> = {
  StringAttributeMetadata: ['String'],
  MemoAttributeMetadata: ['Memo'],
  IntegerAttributeMetadata: ['Integer'],
  BigIntAttributeMetadata: ['BigInt'],
  DecimalAttributeMetadata: ['Decimal'],
  DoubleAttributeMetadata: ['Double'],
  MoneyAttributeMetadata: ['Money'],
  BooleanAttributeMetadata: ['Boolean'],
  DateTimeAttributeMetadata: ['DateTime'],
  PicklistAttributeMetadata: ['Picklist'],
  MultiSelectPicklistAttributeMetadata: ['MultiSelectPicklist'],
  StateAttributeMetadata: ['State'],
  StatusAttributeMetadata: ['Status'],
  LookupAttributeMetadata: ['Lookup', 'Customer', 'Owner'],
  UniqueIdentifierAttributeMetadata: ['Uniqueidentifier'],
};

function metadataId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function label(text: string): Record<string, unknown> {
  const l = { Label: text, LanguageCode: 1033 };
  return { LocalizedLabels: [l], UserLocalizedLabel: l };
}

function schemaName(logical: string): string {
  return logical.replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => `${sep}${c.toUpperCase()}`);
}

function castName(type: AttributeType): string {
  if (type === 'Lookup' || type === 'Customer' || type === 'Owner') return 'LookupAttributeMetadata';
  if (type === 'Uniqueidentifier') return 'UniqueIdentifierAttributeMetadata';
  return `${type}AttributeMetadata`;
}

/** Every property of one attribute, as its derived metadata type has them. */
function attributeJson(
  entity: EntityDef,
  a: AttributeDef,
  attributeOf: string | null = null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${castName(a.type)}`,
    MetadataId: metadataId(entity.logicalName, a.logicalName),
    LogicalName: a.logicalName,
    SchemaName: schemaName(a.logicalName),
    EntityLogicalName: entity.logicalName,
    // Multi-select choices are "Virtual" columns told apart only by AttributeTypeName.
    AttributeType: a.type === 'MultiSelectPicklist' ? 'Virtual' : a.type,
    AttributeTypeName: { Value: `${a.type}Type` },
    IsCustomAttribute: a.custom,
    IsValidForRead: true,
    IsValidForUpdate: a.updatable,
    IsValidForCreate: a.updatable || a.logicalName === entity.primaryId,
    IsPrimaryId: a.logicalName === entity.primaryId,
    IsPrimaryName: a.logicalName === entity.primaryName,
    AttributeOf: attributeOf,
    DisplayName: label(a.logicalName),
    RequiredLevel: { Value: 'None' },
  };
  if (a.maxLength !== undefined) out.MaxLength = a.maxLength;
  if (a.type === 'String') {
    const format = /email/.test(a.logicalName)
      ? 'Email'
      : /phone/.test(a.logicalName)
        ? 'Phone'
        : /url$/.test(a.logicalName)
          ? 'Url'
          : 'Text';
    out.Format = format;
    out.FormatName = { Value: format };
  }
  if (a.min !== undefined) out.MinValue = a.min;
  if (a.max !== undefined) out.MaxValue = a.max;
  if (a.precision !== undefined) out.Precision = a.precision;
  if (a.targets !== undefined) out.Targets = a.targets;
  if (a.type === 'DateTime') {
    out.Format = a.dateOnly ? 'DateOnly' : 'DateAndTime';
    out.DateTimeBehavior = { Value: a.dateOnly ? 'DateOnly' : 'UserLocal' };
  }
  return out;
}

function optionSetJson(a: AttributeDef): Record<string, unknown> {
  const opt = (o: { value: number; label: string }) => ({ Value: o.value, Label: label(o.label) });
  const options = a.options ?? [];
  if (a.type === 'Boolean') {
    return {
      TrueOption: opt(options.find((o) => o.value === 1) ?? { value: 1, label: 'Yes' }),
      FalseOption: opt(options.find((o) => o.value === 0) ?? { value: 0, label: 'No' }),
    };
  }
  return { Name: `${a.logicalName}_options`, IsGlobal: false, Options: options.map(opt) };
}

/** Splits `A($select=x,y),B` on top-level commas into name → inner options. */
function parseExpand(text: string | null): Map<string, URLSearchParams> {
  const out = new Map<string, URLSearchParams>();
  if (text === null) return out;
  let depth = 0;
  let current = '';
  const items: string[] = [];
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') items.push(current);
  for (const item of items) {
    const m = /^\s*([A-Za-z]+)(?:\((.*)\))?\s*$/.exec(item);
    if (m) out.set(m[1]!, new URLSearchParams((m[2] ?? '').replace(/;/g, '&')));
  }
  return out;
}

function pick(
  source: Record<string, unknown>,
  select: string | null | undefined,
  always: readonly string[] = [],
): Record<string, unknown> {
  if (select === null || select === undefined || select === '') return source;
  const names = new Set([...select.split(',').map((s) => s.trim()), ...always]);
  return Object.fromEntries(Object.entries(source).filter(([k]) => names.has(k) || k.startsWith('@odata')));
}

export class DynamicsMetadata {
  readonly #catalog: Map<string, EntityDef>;

  constructor(catalog: Map<string, EntityDef>) {
    this.#catalog = catalog;
  }

  /** `rest` is the path after `/api/data/v9.2/`. Returns null when it is not a metadata path. */
  handle(root: string, rest: string, query: URLSearchParams): SimResponse | null {
    if (rest === 'EntityDefinitions') return this.#list(root, query);
    const m =
      /^EntityDefinitions\(LogicalName='([a-z_0-9]+)'\)(?:\/(Attributes|Keys)(?:\/Microsoft\.Dynamics\.CRM\.([A-Za-z]+))?)?$/.exec(
        rest,
      );
    if (m === null) return rest.startsWith('EntityDefinitions') ? segmentNotFound(rest) : null;
    const entity = this.#catalog.get(m[1]!);
    if (entity === undefined) {
      return dataverseError(404, '0x80040217', `Could not find entity with logical name ${m[1]}.`);
    }
    if (m[2] === 'Keys')
      return ok(`${root}/$metadata#EntityDefinitions('${entity.logicalName}')/Keys`, {
        value: keysJson(entity),
      });
    if (m[2] === 'Attributes') return this.#attributes(root, entity, m[3] ?? null, query);
    const select = query.get('$select');
    const bad = (select ?? '')
      .split(',')
      .map((s) => s.trim())
      .find((s) => s !== '' && !(ENTITY_PROPERTIES as readonly string[]).includes(s));
    if (bad !== undefined) return propertyError(bad, 'EntityMetadata');
    const body: Record<string, unknown> = pick(this.#entityJson(entity), select, ['MetadataId']);
    for (const [name, inner] of parseExpand(query.get('$expand'))) {
      if (name === 'Attributes')
        body.Attributes = this.#attributeList(entity, null).map((a) =>
          pick(a, inner.get('$select'), ['MetadataId']),
        );
      else if (name === 'Keys')
        body.Keys = keysJson(entity).map((k) => pick(k, inner.get('$select'), ['MetadataId']));
      else return propertyError(name, 'EntityMetadata');
    }
    return ok(`${root}/$metadata#EntityDefinitions/$entity`, body);
  }

  #entityJson(e: EntityDef): Record<string, unknown> {
    return {
      MetadataId: metadataId(e.logicalName),
      LogicalName: e.logicalName,
      SchemaName: schemaName(e.logicalName),
      EntitySetName: e.entitySetName,
      PrimaryIdAttribute: e.primaryId,
      PrimaryNameAttribute: e.primaryName,
      ChangeTrackingEnabled: e.changeTracking,
      IsCustomEntity: false,
      DisplayName: label(e.logicalName),
      ObjectTypeCode: e.code,
    };
  }

  #list(root: string, query: URLSearchParams): SimResponse {
    let entities = [...this.#catalog.values()].map((e) => this.#entityJson(e));
    const filter = query.get('$filter');
    if (filter !== null) {
      try {
        const { predicate } = parseFilter(filter);
        entities = entities.filter((e) => predicate((name) => e[name]));
      } catch (e) {
        if (e instanceof FilterError)
          return dataverseError(400, '0x80060888', `Syntax error in $filter: ${e.message}`);
        throw e;
      }
    }
    return ok(`${root}/$metadata#EntityDefinitions`, {
      value: entities.map((e) => pick(e, query.get('$select'), ['MetadataId'])),
    });
  }

  /** Attributes plus the name/type companions of lookups that Dataverse lists with AttributeOf. */
  #attributeList(entity: EntityDef, cast: readonly AttributeType[] | null): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const a of entity.attributes) {
      if (cast === null || cast.includes(a.type)) out.push(attributeJson(entity, a));
      if (isLookup(a) && (cast === null || cast.includes('String'))) {
        const companion: AttributeDef = {
          logicalName: `${a.logicalName}name`,
          type: 'String',
          custom: a.custom,
          updatable: false,
          maxLength: 100,
        };
        out.push(attributeJson(entity, companion, a.logicalName));
      }
    }
    return out;
  }

  #attributes(root: string, entity: EntityDef, cast: string | null, query: URLSearchParams): SimResponse {
    const types = cast === null ? null : TYPE_CAST[cast];
    if (types === undefined) return segmentNotFound(`Microsoft.Dynamics.CRM.${cast}`);
    const select = query.get('$select');
    if (types === null) {
      const bad = (select ?? '')
        .split(',')
        .map((s) => s.trim())
        .find((s) => s !== '' && !(BASE_PROPERTIES as readonly string[]).includes(s));
      if (bad !== undefined) return propertyError(bad, 'AttributeMetadata');
    }
    const expand = parseExpand(query.get('$expand'));
    const value = this.#attributeList(entity, types).map((json) => {
      const out = pick(json, select, ['MetadataId']);
      for (const [name, inner] of expand) {
        if (name !== 'OptionSet' && name !== 'GlobalOptionSet') continue;
        const a = entity.attributes.find((x) => x.logicalName === json.LogicalName);
        out[name] =
          name === 'OptionSet' && a !== undefined ? pick(optionSetJson(a), inner.get('$select')) : null;
      }
      return out;
    });
    const suffix = cast === null ? '' : `/Microsoft.Dynamics.CRM.${cast}`;
    return ok(`${root}/$metadata#EntityDefinitions('${entity.logicalName}')/Attributes${suffix}`, { value });
  }
}

function keysJson(entity: EntityDef): Record<string, unknown>[] {
  return entity.keys.map((k) => ({
    MetadataId: metadataId(entity.logicalName, 'key', k.logicalName),
    LogicalName: k.logicalName,
    SchemaName: schemaName(k.logicalName),
    KeyAttributes: k.attributes,
    EntityKeyIndexStatus: 'Active',
  }));
}

function propertyError(name: string, type: string): SimResponse {
  return dataverseError(
    400,
    '0x80060888',
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${type}'.`,
  );
}

function ok(context: string, body: Record<string, unknown>): SimResponse {
  return { status: 200, headers: { 'OData-Version': '4.0' }, json: { '@odata.context': context, ...body } };
}
