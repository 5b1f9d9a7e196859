import { z } from 'zod';

/**
 * One page of a collection. Rows are checked to be objects but not copied (a 5,000-row page parsed
 * field by field would be held twice); dynamics-columns.ts reads each row's columns by name.
 */
const RowSchema = z.custom<Readonly<Record<string, unknown>>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'a row object',
);
export const CollectionPageSchema = z.looseObject({
  value: z.array(RowSchema),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});
export type CollectionPage = z.output<typeof CollectionPageSchema>;

const LabelSchema = z
  .looseObject({ UserLocalizedLabel: z.looseObject({ Label: z.string() }).nullish() })
  .nullish();

export const EntityDefinitionSchema = z.looseObject({
  LogicalName: z.string(),
  EntitySetName: z.string(),
  PrimaryIdAttribute: z.string(),
  PrimaryNameAttribute: z.string().nullish(),
  ChangeTrackingEnabled: z.boolean().nullish(),
  Keys: z.array(z.looseObject({ LogicalName: z.string(), KeyAttributes: z.array(z.string()) })).nullish(),
});
export type EntityDefinition = z.output<typeof EntityDefinitionSchema>;

export const EntitySetLookupSchema = z.object({
  value: z.array(z.looseObject({ LogicalName: z.string(), EntitySetName: z.string() })),
});

export const AttributeSchema = z.looseObject({
  LogicalName: z.string(),
  AttributeType: z.string().nullish(),
  AttributeTypeName: z.looseObject({ Value: z.string() }).nullish(),
  IsCustomAttribute: z.boolean().nullish(),
  IsValidForRead: z.boolean().nullish(),
  IsValidForUpdate: z.boolean().nullish(),
  IsPrimaryId: z.boolean().nullish(),
  AttributeOf: z.string().nullish(),
  DisplayName: LabelSchema,
});
export const AttributesSchema = z.object({ value: z.array(AttributeSchema) });
export type AttributeJson = z.output<typeof AttributeSchema>;

/** Derived attribute types, read through casts (each with only its own properties selected). */
export const TypedAttributesSchema = z.object({
  value: z.array(
    z.looseObject({
      LogicalName: z.string(),
      Targets: z.array(z.string()).nullish(),
      Format: z.string().nullish(),
      FormatName: z.looseObject({ Value: z.string() }).nullish(),
      MaxLength: z.number().nullish(),
      MinValue: z.number().nullish(),
      MaxValue: z.number().nullish(),
      Precision: z.number().nullish(),
      OptionSet: z
        .looseObject({
          Options: z.array(z.looseObject({ Value: z.number(), Label: LabelSchema })).nullish(),
          TrueOption: z.looseObject({ Value: z.number(), Label: LabelSchema }).nullish(),
          FalseOption: z.looseObject({ Value: z.number(), Label: LabelSchema }).nullish(),
        })
        .nullish(),
      GlobalOptionSet: z
        .looseObject({
          Options: z.array(z.looseObject({ Value: z.number(), Label: LabelSchema })).nullish(),
        })
        .nullish(),
    }),
  ),
});
export type TypedAttributes = z.output<typeof TypedAttributesSchema>;

export const WhoAmISchema = z.looseObject({ UserId: z.string(), OrganizationId: z.string() });
