import { z } from 'zod';
import type { Exchange } from './recording-proxy.js';

/**
 * ActiveCampaign's v3 contract as its API reference documents it, written here by hand from the
 * reference pages (developers.activecampaign.com/reference/<page>; the OpenAPI file behind them is
 * proprietary and stays out of this repository). Each endpoint Tide calls has its page, the query
 * and body it may send, and the answers it may get; `checkExchange` holds one recorded request and
 * response against them. Where the reference is silent or loose, the schema says so beside it.
 */
const REF = 'https://developers.activecampaign.com/reference/';

/** Timestamps carry the account's UTC offset (`2018-09-12T16:53:50-05:00`, every example). */
const Timestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/, 'a timestamp with the account offset');
/** Custom field data timestamps have no offset (`2018-11-06 02:26:07`, the examples). */
const PlainTimestamp = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
/** Ids are strings of digits. */
const Id = z.string().regex(/^\d+$/, 'a string id');
const Digits = z.string().regex(/^\d+$/);
/** `meta.total` is a string ("6"); the deals example has a number. */
const Meta = z.looseObject({ total: Digits });
/**
 * `filters[...]` dates: the reference types them `date`; clients (singer-io/tap-activecampaign) send
 * date-times, and Tide sends the account's local date-time without an offset (PROTOCOL-FACTS §3,
 * INFERENCE: filters are read in account time).
 */
const FilterDate = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d)?$/, 'a date or local date-time, no offset');
const Limit = z.string().regex(/^(100|[1-9]\d?)$/, 'limit is 1..100 (reference: pagination)');
const Offset = Digits;
const Direction = z.string().regex(/^(asc|desc|ASC|DESC)$/);
const Links = z.record(z.string(), z.string());

const Contact = z.looseObject({
  id: Id,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phone: z.string(),
  cdate: Timestamp,
  udate: Timestamp.nullable(),
  links: Links,
});
const FieldValue = z.looseObject({
  id: Id,
  contact: Id,
  field: Id,
  value: z.string(),
  cdate: Timestamp,
  udate: Timestamp,
  owner: Id,
});
const Field = z.looseObject({
  id: Id,
  title: z.string(),
  type: z.string(),
  perstag: z.string(),
  cdate: Timestamp,
  udate: Timestamp,
});
const FieldOption = z.looseObject({ id: Id, field: Id, value: z.string(), label: z.string() });
const Account = z.looseObject({
  id: Id,
  name: z.string(),
  accountUrl: z.string().nullable(),
  createdTimestamp: Timestamp,
  updatedTimestamp: Timestamp,
});
const AccountContact = z.looseObject({
  id: Id,
  account: Id,
  contact: Id,
  jobTitle: z.string(),
  createdTimestamp: Timestamp,
  updatedTimestamp: Timestamp,
});
const CustomMeta = z.looseObject({
  id: Id,
  fieldLabel: z.string(),
  fieldType: z.string(),
  fieldOptions: z.array(z.string()).nullable(),
});
const AccountDatum = z.looseObject({
  id: Id,
  accountCustomFieldMetumId: z.number().int(),
  accountId: z.number().int(),
  customFieldId: z.number().int(),
  fieldValue: z.string(),
  createdTimestamp: PlainTimestamp,
  updatedTimestamp: PlainTimestamp,
});
const DealDatum = z.looseObject({
  id: Id,
  dealCustomFieldMetumId: z.number().int(),
  dealId: z.number().int(),
  customFieldId: z.number().int(),
  fieldValue: z.string(),
});
const Deal = z.looseObject({
  id: Id,
  title: z.string(),
  value: Digits,
  currency: z.string(),
  status: z.string().regex(/^[012]$/),
  stage: Id,
  owner: Id,
  contact: Id.nullable(),
  cdate: Timestamp,
  mdate: Timestamp,
});
const User = z.looseObject({
  id: Id,
  username: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
});
const Note = z.looseObject({
  id: Id,
  note: z.string(),
  relid: Id,
  reltype: z.string(),
  userid: Id,
  cdate: Timestamp,
  mdate: Timestamp,
});
/** 422: `{"errors":[{"title","detail","code","source":{"pointer"}}]}` (create-a-new-contact, duplicate). */
const Errors = z.object({
  errors: z
    .array(
      z.object({
        title: z.string(),
        detail: z.string(),
        code: z.string(),
        source: z.object({ pointer: z.string().startsWith('/data/attributes/') }),
      }),
    )
    .min(1),
});
/** 404: `{"message":"No Result found for Subscriber with id 1"}` (update-a-contact-new). */
const Message = z.object({ message: z.string() });
const ContactWritten = z.looseObject({ fieldValues: z.array(FieldValue), contact: Contact });
const ContactInput = z
  .object({
    email: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    phone: z.string().optional(),
    fieldValues: z.array(z.object({ field: Id, value: z.string() }).strict()).optional(),
  })
  .strict();

export interface EndpointSpec {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: RegExp;
  readonly reference: string;
  /** The query Tide may send: keys and values. */
  readonly query: z.ZodType;
  readonly body?: z.ZodType;
  /** Answers by status (429/503/403/402 are checked for every endpoint by `checkExchange`). */
  readonly responses: Readonly<Record<number, z.ZodType>>;
}

const list = (key: string, item: z.ZodType, meta: z.ZodType = Meta) =>
  z.looseObject({ [key]: z.array(item), meta });
const paging = { limit: Limit.optional(), offset: Offset.optional() };

export const ENDPOINTS: Readonly<Record<string, EndpointSpec>> = {
  'GET /contacts': {
    method: 'GET',
    path: /^\/api\/3\/contacts$/,
    reference: `${REF}list-all-contacts`,
    query: z
      .object({
        ...paging,
        'ids[]': z.array(Id).optional(),
        email: z.string().optional(),
        id_greater: Digits.optional(),
        id_less: Digits.optional(),
        'filters[created_before]': FilterDate.optional(),
        'filters[created_after]': FilterDate.optional(),
        'filters[updated_before]': FilterDate.optional(),
        'filters[updated_after]': FilterDate.optional(),
        // The reference lists orders[id|cdate|email|first_name|last_name|name|score]: no orders[udate].
        'orders[id]': Direction.optional(),
        'orders[cdate]': Direction.optional(),
        'orders[email]': Direction.optional(),
      })
      .strict(),
    responses: { 200: list('contacts', Contact) },
  },
  'GET /contacts/{id}/fieldValues': {
    method: 'GET',
    path: /^\/api\/3\/contacts\/\d+\/fieldValues$/,
    reference: `${REF}retrieve-contact-field-values`,
    query: z.object({}).strict(),
    responses: { 200: z.looseObject({ fieldValues: z.array(FieldValue) }) },
  },
  'GET /fieldValues': {
    method: 'GET',
    path: /^\/api\/3\/fieldValues$/,
    reference: `${REF}list-all-custom-field-values`,
    query: z
      .object({ ...paging, 'filters[fieldid]': Digits.optional(), 'filters[val]': z.string().optional() })
      .strict(),
    responses: { 200: list('fieldValues', FieldValue) },
  },
  'GET /fields': {
    method: 'GET',
    path: /^\/api\/3\/fields$/,
    reference: `${REF}retrieve-fields`,
    query: z.object({ ...paging, 'filters[perstag]': z.string().optional() }).strict(),
    responses: {
      200: z.looseObject({
        fields: z.array(Field),
        fieldOptions: z.array(FieldOption),
        fieldRels: z.array(z.unknown()),
        meta: Meta,
      }),
    },
  },
  'GET /accounts': {
    method: 'GET',
    path: /^\/api\/3\/accounts$/,
    reference: `${REF}list-all-accounts`,
    query: z
      .object({ ...paging, search: z.string().optional(), count_deals: z.string().optional() })
      .strict(),
    responses: { 200: list('accounts', Account) },
  },
  'GET /accountContacts': {
    method: 'GET',
    path: /^\/api\/3\/accountContacts$/,
    reference: `${REF}list-all-associations-1`,
    query: z
      .object({ ...paging, 'filters[contact]': Digits.optional(), 'filters[account]': Digits.optional() })
      .strict(),
    responses: { 200: list('accountContacts', AccountContact) },
  },
  'GET /accountCustomFieldMeta': {
    method: 'GET',
    path: /^\/api\/3\/accountCustomFieldMeta$/,
    reference: `${REF}list-all-custom-fields-meta`,
    query: z.object(paging).strict(),
    // The example has no meta: Tide does not need one here.
    responses: { 200: z.looseObject({ accountCustomFieldMeta: z.array(CustomMeta) }) },
  },
  'GET /accountCustomFieldData': {
    method: 'GET',
    path: /^\/api\/3\/accountCustomFieldData$/,
    reference: `${REF}list-all-custom-field-values-2`,
    query: z.object({ ...paging, 'filters[customerAccountId]': Digits.optional() }).strict(),
    responses: { 200: list('accountCustomFieldData', AccountDatum) },
  },
  'GET /deals': {
    method: 'GET',
    path: /^\/api\/3\/deals$/,
    reference: `${REF}list-all-deals`,
    query: z
      .object({
        ...paging,
        'filters[updated_after]': FilterDate.optional(),
        'filters[updated_before]': FilterDate.optional(),
        'filters[created_after]': FilterDate.optional(),
        'filters[created_before]': FilterDate.optional(),
        'orders[cdate]': Direction.optional(),
      })
      .strict(),
    // meta.total: a number in the reference's example.
    responses: { 200: list('deals', Deal, z.looseObject({ total: z.union([Digits, z.number().int()]) })) },
  },
  'GET /dealCustomFieldMeta': {
    method: 'GET',
    path: /^\/api\/3\/dealCustomFieldMeta$/,
    reference: `${REF}retrieve-all-custom-deal-field-meta`,
    query: z.object(paging).strict(),
    responses: { 200: z.looseObject({ dealCustomFieldMeta: z.array(CustomMeta) }) },
  },
  'GET /dealCustomFieldData': {
    method: 'GET',
    path: /^\/api\/3\/dealCustomFieldData$/,
    reference: `${REF}list-all-custom-fielddata-field-values`,
    query: z.object({ ...paging, 'filters[dealId]': Digits.optional() }).strict(),
    responses: { 200: list('dealCustomFieldData', DealDatum) },
  },
  'GET /users': {
    method: 'GET',
    path: /^\/api\/3\/users$/,
    reference: `${REF}list-all-users`,
    query: z.object(paging).strict(),
    responses: { 200: list('users', User) },
  },
  'GET /users/me': {
    method: 'GET',
    path: /^\/api\/3\/users\/me$/,
    reference: `${REF}get-user-loggedin`,
    query: z.object({}).strict(),
    responses: { 200: z.looseObject({ user: User }) },
  },
  'GET /notes': {
    method: 'GET',
    path: /^\/api\/3\/notes$/,
    reference: `${REF}retrieve-list-of-all-notes`,
    query: z.object(paging).strict(),
    responses: { 200: list('notes', Note) },
  },
  'PUT /contacts/{id}': {
    method: 'PUT',
    path: /^\/api\/3\/contacts\/\d+$/,
    reference: `${REF}update-a-contact-new`,
    query: z.object({}).strict(),
    body: z.object({ contact: ContactInput }).strict(),
    responses: { 200: ContactWritten, 404: Message, 422: Errors },
  },
  'POST /contact/sync': {
    method: 'POST',
    path: /^\/api\/3\/contact\/sync$/,
    reference: `${REF}sync-a-contacts-data`,
    query: z.object({}).strict(),
    body: z.object({ contact: ContactInput.extend({ email: z.string().min(3) }) }).strict(),
    // The reference documents 201; an update answering 200 is INFERENCE (Tide accepts both).
    responses: { 201: ContactWritten, 200: ContactWritten, 422: Errors },
  },
  'POST /import/bulk_import': {
    method: 'POST',
    path: /^\/api\/3\/import\/bulk_import$/,
    reference: `${REF}bulk-import-contacts`,
    query: z.object({}).strict(),
    // snake_case rows, at most 250 (Tide sends at most 100: the batch rule), fields by integer id.
    body: z
      .object({
        contacts: z
          .array(
            z
              .object({
                email: z.string(),
                first_name: z.string().optional(),
                last_name: z.string().optional(),
                phone: z.string().optional(),
                customer_acct_name: z.string().optional(),
                tags: z.array(z.string()).optional(),
                fields: z.array(z.object({ id: z.number().int(), value: z.string() }).strict()).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(100),
      })
      .strict(),
    responses: {
      200: z.object({
        Success: z.literal(1),
        queued_contacts: z.number().int(),
        batchId: z.string().min(1),
        message: z.string(),
      }),
      400: z.object({
        success: z.literal(0),
        message: z.string(),
        failureReasons: z.array(
          z.union([z.string(), z.object({ contact: z.number().int(), failureReason: z.string() })]),
        ),
      }),
    },
  },
  'GET /import/info': {
    method: 'GET',
    path: /^\/api\/3\/import\/info$/,
    reference: `${REF}bulk-import-status-info`,
    query: z.object({ batchId: z.string().min(1) }).strict(),
    responses: {
      200: z.object({ status: z.string(), success: z.array(Digits), failure: z.array(z.string()) }),
    },
  },
};

/** The query as an object: `key[]` parameters (ids[]=1&ids[]=2) become arrays. */
function queryObject(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) out[key] = key.endsWith('[]') ? query.getAll(key) : query.get(key);
  return out;
}

/** Reference: rate-limits (429 with Retry-After and RateLimit-* headers). */
function checkRateLimited(e: Exchange): string[] {
  const problems: string[] = [];
  if (!/^\d+$/.test(e.responseHeaders.get('retry-after') ?? ''))
    problems.push('429 without Retry-After seconds');
  if (!/^\d+$/.test(e.responseHeaders.get('ratelimit-limit') ?? ''))
    problems.push('429 without RateLimit-Limit');
  if (!/^\d+$/.test(e.responseHeaders.get('ratelimit-remaining') ?? ''))
    problems.push('429 without RateLimit-Remaining');
  return problems;
}

function issues(what: string, schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.slice(0, 3).map((i) => `${what} ${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** What is wrong with one recorded exchange against the reference (empty: it conforms). */
export function checkExchange(e: Exchange): string[] {
  const where = `${e.method} ${e.path}`;
  const entry = Object.entries(ENDPOINTS).find(([, s]) => s.method === e.method && s.path.test(e.path));
  if (entry === undefined) return [`${where}: not an endpoint of the reference Tide may call`];
  const [name, spec] = entry;
  const problems: string[] = [];
  // Reference: authentication (Api-Token header; one key per user, no OAuth).
  if (typeof e.headers['api-token'] !== 'string' || e.headers['api-token'] === '')
    problems.push('no Api-Token header');
  if (e.headers.authorization !== undefined)
    problems.push('an Authorization header (ActiveCampaign uses Api-Token)');
  problems.push(...issues('query', spec.query, queryObject(e.query)));
  if (spec.body !== undefined) {
    problems.push(...issues('body', spec.body, e.body));
    if (!String(e.headers['content-type'] ?? '').startsWith('application/json'))
      problems.push('body without a JSON content type');
  } else if (e.body !== undefined) problems.push('a body on a request that takes none');
  if (e.status === 429) problems.push(...checkRateLimited(e));
  else if (e.status === 503 || e.status === 403 || e.status === 402) {
    // Reference: errors (403 = not authenticated, 402 = payment); bodies are not documented.
  } else {
    const schema = spec.responses[e.status];
    if (schema === undefined) problems.push(`status ${e.status} is not documented for ${name}`);
    else problems.push(...issues(`response ${e.status}`, schema, e.response));
  }
  return problems.map((p) => `${where} (${spec.reference}): ${p}`);
}

/** The endpoint an exchange belongs to, by its key in ENDPOINTS. */
export function endpointOf(e: Exchange): string | undefined {
  return Object.entries(ENDPOINTS).find(([, s]) => s.method === e.method && s.path.test(e.path))?.[0];
}
