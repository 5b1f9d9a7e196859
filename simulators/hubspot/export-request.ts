import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import { validationError } from './hubspot-errors.js';
import { OBJECT_TYPES, type ObjectType, parseObjectType, singularUpper } from './hubspot-object-types.js';
import type { PropertyCatalog } from './property-catalog.js';
import { parseSearchRequest, type SearchFilter } from './search-request.js';

/** "a maximum of three filterGroups with up to three filters in each group" (exports guide, Limits). */
const MAX_GROUPS = 3;
const MAX_FILTERS_PER_GROUP = 3;

const FilterSchema = z.object({ propertyName: z.string() }).loose();

/** `PublicExportViewRequest` / `PublicExportListRequest` of the exports OpenAPI (v3). */
const ExportBodySchema = z.object({
  exportType: z.enum(['VIEW', 'LIST']),
  format: z.enum(['CSV', 'XLS', 'XLSX']),
  exportName: z.string().min(1),
  objectType: z.string().min(1),
  objectProperties: z.array(z.string()).default([]),
  language: z.string().optional(),
  exportInternalValuesOptions: z.array(z.enum(['NAMES', 'VALUES'])).default([]),
  associatedObjectType: z.union([z.string(), z.array(z.string())]).optional(),
  listId: z.union([z.string(), z.number()]).optional(),
  includeLabeledAssociations: z.boolean().optional(),
  includePrimaryDisplayPropertyForAssociatedObjects: z.boolean().optional(),
  overrideAssociatedObjectsPerDefinitionPerRowLimit: z.boolean().optional(),
  publicCrmSearchRequest: z
    .object({
      filterGroups: z.array(z.object({ filters: z.array(FilterSchema).default([]) })).default([]),
      filters: z.array(FilterSchema).default([]),
      sorts: z.array(z.unknown()).default([]),
      query: z.string().optional(),
    })
    .optional(),
});

/** What an accepted export produces. */
export interface ExportSpec {
  readonly type: ObjectType;
  readonly name: string;
  /** Columns in file order: the requested properties, the record id first when it was not asked for. */
  readonly properties: readonly string[];
  /** `NAMES`: headers are internal names (else labels). */
  readonly internalNames: boolean;
  /** `VALUES`: internal values, datetimes as epoch milliseconds (else labels and readable dates). */
  readonly internalValues: boolean;
  /** OR of groups, AND within a group (search semantics); empty = every record. */
  readonly groups: readonly (readonly SearchFilter[])[];
}

/**
 * Validates `POST /crm/v3/exports/export/async`; a SimResponse is the 400 to answer. The simulator
 * serves what Tide and the SDK ask for: VIEW exports to CSV of any object type, filtered by property
 * values. Lists (LIST), spreadsheets and associated objects are refused with a message saying so.
 */
export function parseExportRequest(rawBody: string, catalog: PropertyCatalog): ExportSpec | SimResponse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ExportBodySchema.safeParse(json);
  if (!parsed.success) {
    return validationError(
      `Invalid export request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const body = parsed.data;
  const type = exportObjectType(body.objectType);
  if (type === null) return validationError(`Unable to infer object type from: ${body.objectType}`);
  if (body.exportType === 'LIST')
    return validationError('The simulator serves VIEW exports only (it holds no lists).');
  if (body.format !== 'CSV') return validationError(`The simulator writes CSV only, not ${body.format}.`);
  if (body.associatedObjectType !== undefined && body.associatedObjectType.length > 0)
    return validationError('The simulator does not export associated objects.');
  for (const name of body.objectProperties) {
    if (catalog.get(type, name) === undefined)
      return validationError(`Property '${name}' does not exist on ${type}.`, {
        errors: [{ message: `Unknown property ${name}`, in: 'objectProperties' }],
      });
  }
  const request = body.publicCrmSearchRequest;
  const groups = request === undefined ? [] : [...request.filterGroups];
  if (request !== undefined && request.filters.length > 0) groups.push({ filters: request.filters });
  if (groups.length > MAX_GROUPS || groups.some((g) => g.filters.length > MAX_FILTERS_PER_GROUP)) {
    return validationError(
      `An export may have at most ${MAX_GROUPS} filterGroups with up to ${MAX_FILTERS_PER_GROUP} filters each.`,
    );
  }
  // The filters are search filters: the search endpoint's own validation types and checks them.
  const search = parseSearchRequest(JSON.stringify({ filterGroups: groups }), type, catalog);
  if (typeof search === 'string') return validationError(search);
  const properties = [...new Set(body.objectProperties)];
  if (!properties.includes('hs_object_id')) properties.unshift('hs_object_id');
  return {
    type,
    name: body.exportName,
    properties,
    internalNames: body.exportInternalValuesOptions.includes('NAMES'),
    internalValues: body.exportInternalValuesOptions.includes('VALUES'),
    groups: search.groups,
  };
}

/** `CONTACT`, `contacts` or `0-1` (the guide: a standard object's name or its type id). */
function exportObjectType(raw: string): ObjectType | null {
  return parseObjectType(raw) ?? OBJECT_TYPES.find((t) => singularUpper(t) === raw.toUpperCase()) ?? null;
}
