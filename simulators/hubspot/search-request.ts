import { z } from 'zod';
import type { ObjectType } from './hubspot-object-types.js';
import type { PropertyCatalog } from './property-catalog.js';

export const SEARCH_MAX_LIMIT = 200;
/** "The search endpoints are limited to 10,000 total results for any given query." */
export const SEARCH_RESULT_WINDOW = 10_000;
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const FilterSchema = z.object({
  propertyName: z.string(),
  operator: z.string(),
  value: Scalar.optional(),
  highValue: Scalar.optional(),
  values: z.array(Scalar).optional(),
});

const SortSchema = z.union([
  z.string(),
  z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).optional() }),
]);

const SearchBodySchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(FilterSchema).default([]) })).default([]),
  sorts: z.array(SortSchema).default([]),
  properties: z.array(z.string()).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  after: z.union([z.string(), z.number()]).optional(),
  query: z.string().optional(),
});

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: Operator;
  readonly value?: string;
  readonly highValue?: string;
  readonly values?: readonly string[];
}

export interface SearchRequest {
  readonly groups: readonly (readonly SearchFilter[])[];
  readonly sort: { readonly propertyName: string; readonly descending: boolean } | null;
  readonly properties: readonly string[] | null;
  readonly limit: number;
  readonly after: number;
  readonly query: string | null;
}

/** Validates a search body against HubSpot's documented limits; a string is the 400 message. */
export function parseSearchRequest(
  rawBody: string,
  type: ObjectType,
  catalog: PropertyCatalog,
): SearchRequest | string {
  let json: unknown;
  try {
    json = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
  } catch (error) {
    return `Invalid input JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  const parsed = SearchBodySchema.safeParse(json);
  if (!parsed.success)
    return `Invalid search request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const body = parsed.data;

  const total = body.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (body.filterGroups.length > MAX_GROUPS)
    return `Too many filter groups: ${body.filterGroups.length}. A search may have at most ${MAX_GROUPS} filterGroups.`;
  if (body.filterGroups.some((g) => g.filters.length > MAX_FILTERS_PER_GROUP))
    return `Too many filters in a filter group. A filterGroup may have at most ${MAX_FILTERS_PER_GROUP} filters.`;
  if (total > MAX_FILTERS)
    return `Too many filters: ${total}. A search may have at most ${MAX_FILTERS} filters in total.`;
  if (body.sorts.length > 1) return `Only one sort is allowed per search, got ${body.sorts.length}.`;

  const groups: SearchFilter[][] = [];
  for (const group of body.filterGroups) {
    const filters: SearchFilter[] = [];
    for (const f of group.filters) {
      if (!(OPERATORS as readonly string[]).includes(f.operator))
        return `Unknown operator '${f.operator}' for property ${f.propertyName}. Use one of ${OPERATORS.join(', ')}.`;
      const operator = f.operator as Operator;
      if (catalog.get(type, f.propertyName) === undefined)
        return `Property '${f.propertyName}' does not exist on ${type}.`;
      if (
        ['IN', 'NOT_IN'].includes(operator)
          ? f.values === undefined
          : needsValue(operator) && f.value === undefined
      )
        return `Filter ${f.propertyName} ${operator} is missing its ${operator.endsWith('IN') ? 'values' : 'value'}.`;
      if (operator === 'BETWEEN' && f.highValue === undefined)
        return `Filter ${f.propertyName} BETWEEN needs value and highValue.`;
      filters.push({
        propertyName: f.propertyName,
        operator,
        ...(f.value === undefined ? {} : { value: f.value }),
        ...(f.highValue === undefined ? {} : { highValue: f.highValue }),
        ...(f.values === undefined ? {} : { values: f.values }),
      });
    }
    groups.push(filters);
  }

  let sort: SearchRequest['sort'] = null;
  const rawSort = body.sorts[0];
  if (rawSort !== undefined) {
    sort =
      typeof rawSort === 'string'
        ? { propertyName: rawSort.replace(/^-/, ''), descending: rawSort.startsWith('-') }
        : { propertyName: rawSort.propertyName, descending: rawSort.direction === 'DESCENDING' };
    if (catalog.get(type, sort.propertyName) === undefined)
      return `Cannot sort by '${sort.propertyName}': no such property on ${type}.`;
  }

  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT)
    return `limit must be an integer from 1 to ${SEARCH_MAX_LIMIT}, got ${String(body.limit)}.`;
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0)
    return `after must be a non-negative integer (as a string), got '${String(body.after)}'.`;
  if (after + limit > SEARCH_RESULT_WINDOW)
    return `The search endpoints are limited to ${SEARCH_RESULT_WINDOW.toLocaleString('en-US')} total results for any given query; after (${after}) + limit (${limit}) pages beyond that. Narrow the filters instead (e.g. restart from the last last-modified value seen).`;

  return {
    groups,
    sort,
    properties: body.properties ?? null,
    limit,
    after,
    query: body.query === undefined || body.query.trim() === '' ? null : body.query.trim(),
  };
}

function needsValue(operator: Operator): boolean {
  return operator !== 'HAS_PROPERTY' && operator !== 'NOT_HAS_PROPERTY';
}
