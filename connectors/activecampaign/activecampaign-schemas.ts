import { z } from 'zod';
import { jsonOrEmpty } from '../../http/vendor-policy.js';

/**
 * ActiveCampaign v3 response shapes, parsed where data enters Tide. Resource-keyed bodies
 * (`{"contacts":[…],"meta":{"total":"6"}}`), string ids (numbers tolerated), `meta.total` a string on
 * most lists and a number on deals. Only the fields Tide reads are typed; the rest pass through
 * (`looseObject`) into `_tide_record`.
 */
const Id = z.union([z.string().min(1), z.number()]).transform(String);
const OptionalId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' || v === '0' || v === 0 ? null : String(v)));
const Text = z.string().nullish();
const Total = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);

export const MetaSchema = z.looseObject({ total: Total });

export const ContactSchema = z.looseObject({
  id: Id,
  email: Text,
  firstName: Text,
  lastName: Text,
  phone: Text,
  cdate: Text,
  udate: Text,
});
export type AcContact = z.output<typeof ContactSchema>;

export const FieldSchema = z.looseObject({
  id: Id,
  title: z.string(),
  type: Text,
  perstag: Text,
  udate: Text,
  cdate: Text,
});
export type AcField = z.output<typeof FieldSchema>;

export const FieldOptionSchema = z.looseObject({ id: Id, field: Id, value: Text, label: Text });

export const FieldValueSchema = z.looseObject({
  id: Id,
  contact: Id,
  field: Id,
  value: z.union([z.string(), z.number()]).nullish(),
});
export type AcFieldValue = z.output<typeof FieldValueSchema>;

export const AccountSchema = z.looseObject({
  id: Id,
  name: Text,
  accountUrl: Text,
  owner: OptionalId,
  createdTimestamp: Text,
  updatedTimestamp: Text,
});
export type AcAccount = z.output<typeof AccountSchema>;

export const CustomMetaSchema = z.looseObject({
  id: Id,
  fieldLabel: z.string(),
  fieldType: Text,
  fieldOptions: z.array(z.string()).nullish(),
});
export type AcCustomMeta = z.output<typeof CustomMetaSchema>;

/** Account / deal custom field data: the owner under `accountId` / `dealId` (numbers in the reference). */
export const CustomDatumSchema = z.looseObject({
  id: Id,
  customFieldId: Id,
  accountId: OptionalId,
  dealId: OptionalId,
  fieldValue: z.union([z.string(), z.number()]).nullish(),
});
export type AcCustomDatum = z.output<typeof CustomDatumSchema>;

export const AccountContactSchema = z.looseObject({
  id: Id,
  account: Id,
  contact: Id,
  jobTitle: Text,
  createdTimestamp: Text,
  updatedTimestamp: Text,
});

export const DealSchema = z.looseObject({
  id: Id,
  title: Text,
  value: z.union([z.string(), z.number()]).nullish(),
  currency: Text,
  status: z.union([z.string(), z.number()]).nullish(),
  stage: OptionalId,
  group: OptionalId,
  owner: OptionalId,
  contact: OptionalId,
  account: OptionalId,
  organization: OptionalId,
  cdate: Text,
  mdate: Text,
});

export const UserSchema = z.looseObject({
  id: Id,
  username: Text,
  firstName: Text,
  lastName: Text,
  email: Text,
});

/** `GET /users/me`: the token's own user. */
export const MeSchema = z.looseObject({ user: UserSchema });

export const NoteSchema = z.looseObject({
  id: Id,
  note: Text,
  relid: OptionalId,
  reltype: Text,
  userid: OptionalId,
  cdate: Text,
  mdate: Text,
});

export const FieldsPageSchema = z.looseObject({
  fields: z.array(FieldSchema),
  fieldOptions: z.array(FieldOptionSchema).nullish(),
  meta: MetaSchema.optional(),
});

export const ContactFieldValuesSchema = z.looseObject({ fieldValues: z.array(FieldValueSchema) });

/** `PUT /contacts/{id}` and `POST /contact/sync`. */
export const ContactWrittenSchema = z.looseObject({ contact: ContactSchema });

/** 422: `{errors:[{title, detail, code, source:{pointer}}]}`; 404 and others: `{message}`. */
export const ErrorBodySchema = z.looseObject({
  message: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        title: z.string().optional(),
        detail: z.string().nullish(),
        code: z.string().nullish(),
        source: z.looseObject({ pointer: z.string().optional() }).nullish(),
      }),
    )
    .optional(),
});

/** `POST /import/bulk_import`: 200 `{"Success":1, batchId}`; 400 `{success:0, message, failureReasons}`. */
export const ImportQueuedSchema = z.looseObject({ batchId: z.string().min(1) });
export const ImportRefusedSchema = z.looseObject({
  message: z.string().optional(),
  failureReasons: z
    .array(z.union([z.string(), z.looseObject({ contact: z.number().int(), failureReason: z.string() })]))
    .optional(),
});
/** `GET /import/info`: success by contact id, failure by email. */
export const ImportInfoSchema = z.looseObject({
  status: z.string(),
  success: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
  failure: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
});

/** The vendor's own explanation of a refusal: the 422 errors (with pointers) or the message. */
export function errorReason(status: number, text: string): string {
  const parsed = ErrorBodySchema.safeParse(jsonOrEmpty(text));
  if (parsed.success) {
    const errors = parsed.data.errors ?? [];
    if (errors.length > 0) {
      return `${status}: ${errors
        .map((e) =>
          [e.title, e.detail, e.source?.pointer ? `(${e.source.pointer})` : ''].filter((p) => p).join(' '),
        )
        .join('; ')}`;
    }
    if (parsed.data.message !== undefined) return `${status}: ${parsed.data.message}`;
  }
  return `${status}: ${text.slice(0, 200)}`;
}
