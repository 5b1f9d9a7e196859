import type {
  AccountContactRow,
  AccountRow,
  AcStore,
  ContactRow,
  CustomFieldDatum,
  CustomFieldMeta,
  DealRow,
  FieldDef,
  FieldValueRow,
  NoteRow,
  UserRow,
} from './ac-store.js';

/**
 * The JSON shapes ActiveCampaign answers with (the reference's examples): string ids and counters,
 * timestamps in the account's offset, `links` to related resources. Ids inside links are relative
 * (`/api/3/...`), as in the reference's deal example.
 */
const API = '/api/3';

function links(kind: string, id: number, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `${API}/${kind}/${id}/${n}`]));
}

export function contactJson(store: AcStore, c: ContactRow): Record<string, unknown> {
  const t = store.time;
  const at = c.email.lastIndexOf('@');
  return {
    cdate: t.format(c.cdateMs),
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    orgid: '0',
    orgname: '',
    segmentio_id: '',
    bounced_hard: '0',
    bounced_soft: '0',
    bounced_date: null,
    ip: '0',
    ua: null,
    hash: hashOf(c.id),
    socialdata_lastcheck: null,
    email_local: at > 0 ? c.email.slice(0, at) : '',
    email_domain: at > 0 ? c.email.slice(at + 1) : '',
    sentcnt: '0',
    rating_tstamp: null,
    gravatar: '0',
    deleted: '0',
    anonymized: '0',
    adate: null,
    udate: c.udateMs === null ? null : t.format(c.udateMs),
    edate: null,
    deleted_at: null,
    created_utc_timestamp: t.formatPlain(c.cdateMs),
    updated_utc_timestamp: t.formatPlain(c.udateMs ?? c.cdateMs),
    links: links('contacts', c.id, [
      'bounceLogs',
      'contactAutomations',
      'contactData',
      'contactGoals',
      'contactLists',
      'contactLogs',
      'contactTags',
      'contactDeals',
      'deals',
      'fieldValues',
      'geoIps',
      'notes',
      'organization',
      'plusAppend',
      'trackingLogs',
      'scoreValues',
      'accountContacts',
    ]),
    id: String(c.id),
    organization: null,
  };
}

export function fieldJson(store: AcStore, f: FieldDef): Record<string, unknown> {
  return {
    title: f.title,
    descript: null,
    type: f.type,
    isrequired: '0',
    perstag: f.perstag,
    defval: null,
    show_in_list: '0',
    rows: '0',
    cols: '0',
    visible: '1',
    service: '',
    ordernum: String(f.id),
    cdate: store.time.format(f.cdateMs),
    udate: store.time.format(f.udateMs),
    options: f.options.map((_, i) => String(f.id * 100 + i + 1)),
    relations: [],
    links: links('fields', f.id, ['options', 'relations']),
    id: String(f.id),
  };
}

/** The `fieldOptions` side-load of `GET /fields`: one row per option of dropdown-like fields. */
export function fieldOptionsJson(fields: readonly FieldDef[]): Record<string, unknown>[] {
  return fields.flatMap((f) =>
    f.options.map((label, i) => ({
      field: String(f.id),
      orderid: String(i + 1),
      value: label,
      label,
      isdefault: '0',
      id: String(f.id * 100 + i + 1),
    })),
  );
}

export function fieldValueJson(store: AcStore, v: FieldValueRow): Record<string, unknown> {
  return {
    contact: String(v.contact),
    field: String(v.field),
    value: v.value,
    cdate: store.time.format(v.cdateMs),
    udate: store.time.format(v.udateMs),
    created_by: null,
    updated_by: null,
    links: { owner: `${API}/fieldValues/${v.id}/owner`, field: `${API}/fieldValues/${v.id}/field` },
    id: String(v.id),
    owner: String(v.contact),
  };
}

export function accountJson(store: AcStore, a: AccountRow, withFields = false): Record<string, unknown> {
  return {
    name: a.name,
    accountUrl: a.accountUrl,
    owner: String(a.owner),
    createdTimestamp: store.time.format(a.createdMs),
    updatedTimestamp: store.time.format(a.updatedMs),
    links: links('accounts', a.id, ['notes', 'accountCustomFieldData', 'accountContacts']),
    ...(withFields
      ? {
          fields: store.accountFieldData
            .rows()
            .filter((d) => d.owner === a.id)
            .map((d) => ({
              customFieldId: d.customFieldId,
              fieldValue: d.fieldValue,
              accountId: String(a.id),
            })),
        }
      : {}),
    id: String(a.id),
  };
}

export function customMetaJson(
  store: AcStore,
  m: CustomFieldMeta,
  dataKey: 'accountCustomFieldData' | 'dealCustomFieldData',
): Record<string, unknown> {
  return {
    id: String(m.id),
    fieldLabel: m.fieldLabel,
    fieldType: m.fieldType,
    fieldOptions: m.fieldOptions,
    fieldDefault: null,
    fieldDefaultCurrency: m.fieldType === 'currency' ? 'usd' : null,
    isFormVisible: 0,
    isRequired: 0,
    displayOrder: m.id,
    personalization: '',
    knownFieldId: null,
    hideFieldFlag: 0,
    createdTimestamp: store.time.formatPlain(m.createdMs),
    updatedTimestamp: store.time.formatPlain(m.updatedMs),
    links: {
      [dataKey]: `${API}/${dataKey === 'accountCustomFieldData' ? 'accountCustomFieldMeta' : 'dealCustomFieldMeta'}/${m.id}/${dataKey}`,
    },
  };
}

/** Custom field data rows: numeric ids, as the reference's examples have them. */
export function customDatumJson(
  store: AcStore,
  d: CustomFieldDatum,
  kind: 'account' | 'deal',
): Record<string, unknown> {
  return {
    id: String(d.id),
    [kind === 'account' ? 'accountCustomFieldMetumId' : 'dealCustomFieldMetumId']: d.customFieldId,
    [kind === 'account' ? 'accountId' : 'dealId']: d.owner,
    customFieldId: d.customFieldId,
    createdTimestamp: store.time.formatPlain(d.createdMs),
    updatedTimestamp: store.time.formatPlain(d.updatedMs),
    fieldValue: d.fieldValue,
    links: {},
  };
}

export function accountContactJson(store: AcStore, l: AccountContactRow): Record<string, unknown> {
  return {
    account: String(l.account),
    contact: String(l.contact),
    jobTitle: l.jobTitle,
    createdTimestamp: store.time.format(l.createdMs),
    updatedTimestamp: store.time.format(l.updatedMs),
    links: links('accountContacts', l.id, ['account', 'contact']),
    id: String(l.id),
  };
}

export function dealJson(store: AcStore, d: DealRow): Record<string, unknown> {
  return {
    owner: String(d.owner),
    contact: d.contact === null ? null : String(d.contact),
    organization: d.account === null ? null : String(d.account),
    group: String(d.group),
    stage: String(d.stage),
    title: d.title,
    description: '',
    percent: '0',
    cdate: store.time.format(d.cdateMs),
    mdate: store.time.format(d.mdateMs),
    nextdate: null,
    nexttaskid: null,
    value: String(d.value),
    currency: d.currency,
    winProbability: null,
    status: String(d.status),
    activitycount: '0',
    edate: null,
    links: links('deals', d.id, [
      'dealActivities',
      'contact',
      'contactDeals',
      'group',
      'notes',
      'account',
      'owner',
      'stage',
      'dealCustomFieldData',
    ]),
    id: String(d.id),
    isDisabled: false,
    account: d.account === null ? null : String(d.account),
    customerAccount: d.account === null ? null : String(d.account),
  };
}

export function userJson(u: UserRow): Record<string, unknown> {
  return {
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    phone: '',
    signature: null,
    links: links('users', u.id, ['lists', 'userGroup', 'dealGroupTotals', 'dealGroupUsers', 'configs']),
    id: String(u.id),
  };
}

export function noteJson(store: AcStore, n: NoteRow): Record<string, unknown> {
  const ownerType = n.reltype === 'Subscriber' ? 'contact' : n.reltype === 'Deal' ? 'deal' : 'account';
  return {
    relid: String(n.relid),
    reltype: n.reltype,
    userid: String(n.userid),
    is_draft: '0',
    cdate: store.time.format(n.cdateMs),
    mdate: store.time.format(n.mdateMs),
    note: n.note,
    links: links('notes', n.id, ['activities', 'user', 'mentions', 'notes', 'owner']),
    id: String(n.id),
    user: String(n.userid),
    owner: { type: ownerType, id: String(n.relid) },
  };
}

function hashOf(id: number): string {
  let h = 0x811c9dc5 ^ id;
  let out = '';
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}
