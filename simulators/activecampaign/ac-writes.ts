import { z } from 'zod';
import type { SimResponse } from '../kit/sim-types.js';
import {
  badBody,
  EMAIL_PATTERN,
  type FieldProblem,
  jsonBody,
  noSuchContact,
  notFound,
  unprocessable,
} from './ac-errors.js';
import { accountContactJson, accountJson, contactJson, fieldValueJson } from './ac-format.js';
import type { AcStore, ContactRow } from './ac-store.js';

/** The `contact` object of `PUT /contacts/{id}`, `POST /contacts` and `POST /contact/sync`. */
const ContactInput = z.looseObject({
  email: z.string().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  fieldValues: z
    .array(
      z.looseObject({
        field: z.union([z.string(), z.number()]),
        value: z.union([z.string(), z.number(), z.null()]),
      }),
    )
    .optional(),
});
type ContactInput = z.output<typeof ContactInput>;
const ContactBody = z.object({ contact: ContactInput });

export type ContactWrite =
  | { readonly kind: 'update'; readonly id: string }
  | { readonly kind: 'create' }
  | { readonly kind: 'sync' };

/**
 * Contact writes (reference: update-a-contact-new, create-a-new-contact, sync-a-contacts-data). A
 * write refused as a whole answers 422 with `errors[]` pointing at the attribute; custom fields go
 * in `fieldValues: [{field, value}]` by field id. `contact/sync` upserts by email: 201 when it
 * created the contact, 200 when it updated one (the reference documents 201; 200 is INFERENCE).
 */
export function writeContact(
  store: AcStore,
  write: ContactWrite,
  rawBody: string,
  blocked: ReadonlySet<string>,
): SimResponse {
  const parsed = ContactBody.safeParse(jsonBody(rawBody));
  if (!parsed.success) return badBody('contact');
  const input = parsed.data.contact;
  let existing: ContactRow | undefined;
  if (write.kind === 'update') {
    existing = store.contacts.get(Number(write.id));
    if (existing === undefined) return noSuchContact(write.id);
  }
  const problems: FieldProblem[] = [];
  const email = input.email?.trim();
  if (write.kind !== 'update' && (email === undefined || email === '')) {
    problems.push({
      title: 'Email address is required',
      code: 'field_missing',
      pointer: '/data/attributes/email',
    });
  } else if (email !== undefined && !EMAIL_PATTERN.test(email)) {
    problems.push({
      title: 'Email address is not valid.',
      code: 'email_invalid',
      pointer: '/data/attributes/email',
    });
  } else if (email !== undefined && blocked.has(email.toLowerCase())) {
    problems.push({
      title: 'This email address has been blocked.',
      code: 'email_blocked',
      pointer: '/data/attributes/email',
    });
  }
  if (write.kind === 'sync' && email !== undefined) existing = store.contactByEmail(email);
  if (email !== undefined && problems.length === 0) {
    const owner = store.contactByEmail(email);
    if (owner !== undefined && owner !== existing) {
      problems.push({
        title: 'Email address already exists in the system',
        code: 'duplicate',
        pointer: '/data/attributes/email',
      });
    }
  }
  (input.fieldValues ?? []).forEach((fv, i) => {
    if (store.fields.get(Number(fv.field)) === undefined) {
      problems.push({
        title: `Custom field ${String(fv.field)} does not exist`,
        code: 'field_invalid',
        pointer: `/data/attributes/fieldValues/${i}/field`,
      });
    }
  });
  if (problems.length > 0) return unprocessable(problems);

  const now = store.now();
  const created = existing === undefined;
  const contact =
    existing ??
    store.addContact({
      email: email ?? '',
      firstName: '',
      lastName: '',
      phone: '',
      cdateMs: now,
      udateMs: now,
    });
  applyContact(store, contact, input, now);
  const status = write.kind === 'update' || (write.kind === 'sync' && !created) ? 200 : 201;
  const values = [...store.valuesOf(contact.id).values()].sort((a, b) => a.id - b.id);
  return {
    status,
    json: { fieldValues: values.map((v) => fieldValueJson(store, v)), contact: contactJson(store, contact) },
  };
}

function applyContact(store: AcStore, contact: ContactRow, input: ContactInput, now: number): void {
  const email = input.email?.trim();
  if (email !== undefined && email !== contact.email) store.setEmail(contact, email);
  if (input.firstName !== undefined) contact.firstName = input.firstName ?? '';
  if (input.lastName !== undefined) contact.lastName = input.lastName ?? '';
  if (input.phone !== undefined) contact.phone = input.phone ?? '';
  for (const fv of input.fieldValues ?? []) {
    store.setFieldValue(contact.id, Number(fv.field), fv.value === null ? '' : String(fv.value), now);
  }
  contact.udateMs = now;
}

/** `GET /contacts/{id}`: the contact with its side-loads (field values, account links). */
export function getContact(store: AcStore, id: string): SimResponse {
  const contact = store.contacts.get(Number(id));
  if (contact === undefined) return noSuchContact(id);
  const values = [...store.valuesOf(contact.id).values()].sort((a, b) => a.id - b.id);
  return {
    status: 200,
    json: {
      contactAutomations: [],
      contactData: [],
      contactGoals: [],
      contactLists: [],
      contactLogs: [],
      contactTags: [],
      contactDeals: [],
      deals: [],
      fieldValues: values.map((v) => fieldValueJson(store, v)),
      geoIps: [],
      accountContacts: store.accountContacts
        .rows()
        .filter((l) => l.contact === contact.id)
        .map((l) => accountContactJson(store, l)),
      contact: contactJson(store, contact),
    },
  };
}

/** `DELETE /contacts/{id}`: a hard delete; nothing lists it afterwards. */
export function deleteContact(store: AcStore, id: string): SimResponse {
  return store.deleteContact(Number(id)) ? { status: 200, json: {} } : noSuchContact(id);
}

const AccountBody = z.object({
  account: z.looseObject({
    name: z.string().optional(),
    accountUrl: z.string().nullable().optional(),
    owner: z.union([z.number(), z.string()]).optional(),
    fields: z
      .array(z.looseObject({ customFieldId: z.number(), fieldValue: z.union([z.string(), z.number()]) }))
      .optional(),
  }),
});

/** `PUT /accounts/{id}` with custom values in `fields: [{customFieldId, fieldValue}]`. */
export function updateAccount(store: AcStore, id: string, rawBody: string): SimResponse {
  const account = store.accounts.get(Number(id));
  if (account === undefined) return notFound(`Account with id ${id}`);
  const parsed = AccountBody.safeParse(jsonBody(rawBody));
  if (!parsed.success) return badBody('account');
  const input = parsed.data.account;
  const problems: FieldProblem[] = [];
  (input.fields ?? []).forEach((f, i) => {
    if (store.accountFields.get(f.customFieldId) === undefined)
      problems.push({
        title: `Custom field ${f.customFieldId} does not exist`,
        code: 'field_invalid',
        pointer: `/data/attributes/fields/${i}/customFieldId`,
      });
  });
  if (problems.length > 0) return unprocessable(problems);
  const now = store.now();
  if (input.name !== undefined) account.name = input.name;
  if (input.accountUrl !== undefined) account.accountUrl = input.accountUrl;
  if (input.owner !== undefined) account.owner = Number(input.owner);
  for (const f of input.fields ?? []) {
    const existing = store.accountFieldData
      .rows()
      .find((d) => d.owner === account.id && d.customFieldId === f.customFieldId);
    if (existing !== undefined) {
      existing.fieldValue = String(f.fieldValue);
      existing.updatedMs = now;
    } else {
      store.accountFieldData.add({
        id: store.accountFieldData.nextId,
        owner: account.id,
        customFieldId: f.customFieldId,
        fieldValue: String(f.fieldValue),
        createdMs: now,
        updatedMs: now,
      });
    }
  }
  account.updatedMs = now;
  return { status: 200, json: { account: accountJson(store, account, true) } };
}
