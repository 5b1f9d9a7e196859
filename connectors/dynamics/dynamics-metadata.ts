import { TideError } from '../../core/tide-error.js';
import type { DynamicsClient } from './dynamics-client.js';
import { odataString } from './dynamics-odata.js';
import {
  type AttributeJson,
  AttributesSchema,
  EntityDefinitionSchema,
  EntitySetLookupSchema,
  type TypedAttributes,
  TypedAttributesSchema,
} from './dynamics-schemas.js';

/** One column as the metadata API describes it, with what both directions need. */
export interface DataverseAttribute {
  readonly logicalName: string;
  /** AttributeTypeName (`StringType`, `LookupType`, `MultiSelectPicklistType`, ...). */
  readonly typeName: string;
  readonly custom: boolean;
  readonly readable: boolean;
  readonly updatable: boolean;
  readonly label: string;
  /** Set on companion columns (`parentcustomeridname`): not properties of the Web API rows. */
  readonly attributeOf: string | null;
  /** Tables a lookup can point at (more than one: polymorphic, e.g. Customer, regarding). */
  readonly targets: readonly string[];
  /** DateTime columns holding a date only. */
  readonly dateOnly: boolean;
}

/** One table: its Web API names, whether change tracking is on, its columns and alternate keys. */
export interface DataverseTable {
  readonly logicalName: string;
  readonly entitySetName: string;
  readonly primaryId: string;
  readonly primaryName: string | null;
  readonly changeTracking: boolean;
  readonly attributes: readonly DataverseAttribute[];
  readonly keys: readonly { readonly logicalName: string; readonly attributes: readonly string[] }[];
}

const ENTITY_SELECT =
  'LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled';
const ATTRIBUTE_SELECT =
  'LogicalName,AttributeType,AttributeTypeName,IsCustomAttribute,IsValidForRead,IsValidForUpdate,IsPrimaryId,AttributeOf,DisplayName';

/** `/api/data/v9.2/EntityDefinitions(LogicalName='contact')`. */
export function definitionPath(client: DynamicsClient, logicalName: string): string {
  return `${client.apiPath}/EntityDefinitions(LogicalName=${odataString(logicalName)})`;
}

/** A derived attribute type's columns (`LookupAttributeMetadata` → Targets), through the cast. */
export function typedAttributes(
  client: DynamicsClient,
  logicalName: string,
  cast: string,
  select: string,
  expand: string | null,
  signal?: AbortSignal,
): Promise<TypedAttributes> {
  return client.json(
    {
      path: `${definitionPath(client, logicalName)}/Attributes/Microsoft.Dynamics.CRM.${cast}`,
      query: { $select: select, ...(expand === null ? {} : { $expand: expand }) },
      endpoint: `GET ${client.apiPath}/EntityDefinitions({name})/Attributes/${cast}`,
      ...(signal ? { signal } : {}),
    },
    TypedAttributesSchema,
  );
}

/**
 * Reads one table's metadata (MicrosoftDocs webapi/query-metadata-web-api.md): the definition with
 * its alternate keys, the columns' base properties, and the two derived properties the source needs
 * (lookup targets, date-only datetimes). Four requests, in parallel, once per table and session.
 */
export async function loadTable(
  client: DynamicsClient,
  logicalName: string,
  signal?: AbortSignal,
): Promise<DataverseTable> {
  const path = definitionPath(client, logicalName);
  const opts = signal ? { signal } : {};
  const [definition, attributes, lookups, datetimes] = await Promise.all([
    client.json(
      {
        path,
        query: { $select: ENTITY_SELECT, $expand: 'Keys($select=LogicalName,KeyAttributes)' },
        endpoint: `GET ${client.apiPath}/EntityDefinitions({name})`,
        ...opts,
      },
      EntityDefinitionSchema,
    ),
    client.json(
      {
        path: `${path}/Attributes`,
        query: { $select: ATTRIBUTE_SELECT },
        endpoint: `GET ${client.apiPath}/EntityDefinitions({name})/Attributes`,
        ...opts,
      },
      AttributesSchema,
    ),
    typedAttributes(client, logicalName, 'LookupAttributeMetadata', 'LogicalName,Targets', null, signal),
    typedAttributes(client, logicalName, 'DateTimeAttributeMetadata', 'LogicalName,Format', null, signal),
  ]);
  const targets = new Map(lookups.value.map((l) => [l.LogicalName, l.Targets ?? []]));
  const dateOnly = new Set(datetimes.value.filter((d) => d.Format === 'DateOnly').map((d) => d.LogicalName));
  return {
    logicalName: definition.LogicalName,
    entitySetName: definition.EntitySetName,
    primaryId: definition.PrimaryIdAttribute,
    primaryName: definition.PrimaryNameAttribute ?? null,
    changeTracking: definition.ChangeTrackingEnabled === true,
    attributes: attributes.value.map((a) =>
      attribute(a, targets.get(a.LogicalName) ?? [], dateOnly.has(a.LogicalName)),
    ),
    keys: (definition.Keys ?? []).map((k) => ({ logicalName: k.LogicalName, attributes: k.KeyAttributes })),
  };
}

function attribute(a: AttributeJson, targets: readonly string[], dateOnly: boolean): DataverseAttribute {
  return {
    logicalName: a.LogicalName,
    typeName: a.AttributeTypeName?.Value ?? `${a.AttributeType ?? 'Unknown'}Type`,
    custom: a.IsCustomAttribute === true,
    readable: a.IsValidForRead !== false,
    updatable: a.IsValidForUpdate === true,
    label: a.DisplayName?.UserLocalizedLabel?.Label ?? a.LogicalName,
    attributeOf: a.AttributeOf ?? null,
    targets,
    dateOnly,
  };
}

/**
 * The logical name of the table behind an entity set name (`contacts` → `contact`); a logical name
 * is accepted as is. Unknown names are a config error naming the sync's object.
 */
export async function logicalNameOf(
  client: DynamicsClient,
  object: string,
  signal?: AbortSignal,
): Promise<string> {
  const found = await client.json(
    {
      path: `${client.apiPath}/EntityDefinitions`,
      query: {
        $select: 'LogicalName,EntitySetName',
        $filter: `EntitySetName eq ${odataString(object)} or LogicalName eq ${odataString(object)}`,
      },
      endpoint: `GET ${client.apiPath}/EntityDefinitions`,
      ...(signal ? { signal } : {}),
    },
    EntitySetLookupSchema,
  );
  const match = found.value[0];
  if (match === undefined) {
    throw new TideError('config_invalid', `Dynamics 365 has no table "${object}"`, {
      hint: 'name the table by its entity set (contacts) or logical name (contact)',
    });
  }
  return match.LogicalName;
}

/** Caches table metadata per session; a failed load is forgotten so the next caller tries again. */
export class TableCache {
  readonly #client: DynamicsClient;
  readonly #tables = new Map<string, Promise<DataverseTable>>();

  constructor(client: DynamicsClient) {
    this.#client = client;
  }

  get(logicalName: string, signal?: AbortSignal): Promise<DataverseTable> {
    let cached = this.#tables.get(logicalName);
    if (cached === undefined) {
      cached = loadTable(this.#client, logicalName, signal);
      cached.catch(() => this.#tables.delete(logicalName));
      this.#tables.set(logicalName, cached);
    }
    return cached;
  }

  /** Forgets a table, so a new custom column shows up (metadata is read once per session). */
  forget(logicalName: string): void {
    this.#tables.delete(logicalName);
  }
}
