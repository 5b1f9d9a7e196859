import { OBJECT_TYPES, type ObjectType } from './hubspot-object-types.js';
import type { PropertyDef, PropertyType } from './property-def.js';
import { fieldTypeOf, PROPERTY_DEFAULTS, STANDARD_PROPERTIES } from './standard-properties.js';

export type { PropertyDef, PropertyType } from './property-def.js';

/** The property definitions of every object type: HubSpot's defaults plus the portal's custom ones. */
export class PropertyCatalog {
  readonly #byType = new Map<ObjectType, Map<string, PropertyDef>>();
  #bulkCount = 0;
  #version = 0;

  constructor() {
    for (const type of OBJECT_TYPES) {
      const map = new Map<string, PropertyDef>();
      for (const def of STANDARD_PROPERTIES[type]) map.set(def.name, def);
      this.#byType.set(type, map);
    }
  }

  /** Bumped by every added property (caches of property lists key on it). */
  get version(): number {
    return this.#version;
  }

  all(type: ObjectType): IterableIterator<PropertyDef> {
    return this.#map(type).values();
  }

  get(type: ObjectType, name: string): PropertyDef | undefined {
    return this.#map(type).get(name);
  }

  /** Properties returned when a request names none (HubSpot's per-object default set). */
  defaults(type: ObjectType): readonly string[] {
    return PROPERTY_DEFAULTS[type];
  }

  add(
    type: ObjectType,
    spec: { name: string; type: PropertyType; label?: string; options?: readonly string[] },
    midStream: boolean,
  ): PropertyDef {
    if (spec.name.trim() === '') throw new Error('property name must not be empty');
    if (this.#map(type).has(spec.name)) throw new Error(`property ${spec.name} already exists on ${type}`);
    if (spec.type === 'enumeration' && (spec.options ?? []).length === 0)
      throw new Error('enumeration properties need options');
    const def: PropertyDef = {
      name: spec.name,
      label: spec.label ?? spec.name,
      type: spec.type,
      fieldType: fieldTypeOf(spec.type),
      groupName: `${type.replace(/s$/, '')}information`,
      hubspotDefined: false,
      readOnly: false,
      ...(spec.options ? { options: spec.options } : {}),
      ...(midStream ? { addedMidStream: true } : {}),
    };
    this.#map(type).set(def.name, def);
    this.#version++;
    return def;
  }

  /**
   * A portal with hundreds of custom properties: `count` string properties with names exactly
   * `nameLength` characters long. Seeded (not mid-stream) ones carry values on a share of records.
   */
  addBulk(type: ObjectType, count: number, nameLength: number, midStream: boolean): string[] {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.#bulkCount++;
      const stem = `custom_field_${String(n).padStart(5, '0')}_`;
      const name = stem.padEnd(nameLength, 'x');
      const def: PropertyDef = {
        name,
        label: `Custom field ${n}`,
        type: 'string',
        fieldType: 'text',
        groupName: 'custom_fields',
        hubspotDefined: false,
        readOnly: false,
        bulkIndex: n,
        ...(midStream ? { addedMidStream: true } : {}),
      };
      this.#map(type).set(name, def);
      names.push(name);
    }
    this.#version++;
    return names;
  }

  /** HubSpot's property JSON (`GET /crm/v3/properties/{type}`). */
  describe(type: ObjectType, def: PropertyDef, anchorIso: string): Record<string, unknown> {
    return {
      name: def.name,
      label: def.label,
      type: def.type,
      fieldType: def.fieldType,
      description: '',
      groupName: def.groupName,
      options: (def.options ?? []).map((value, i) => ({
        label: value.replace(
          /(^|_)([a-z])/g,
          (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase(),
        ),
        value,
        displayOrder: i,
        hidden: false,
      })),
      displayOrder: -1,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: def.name === 'email' || def.name === 'hs_object_id',
      hidden: false,
      ...(def.hubspotDefined ? { hubspotDefined: true } : {}),
      modificationMetadata: {
        archivable: !def.hubspotDefined,
        readOnlyDefinition: def.hubspotDefined,
        readOnlyValue: def.readOnly,
      },
      formField: !def.readOnly && type === 'contacts',
      createdAt: anchorIso,
      updatedAt: anchorIso,
      archived: false,
    };
  }

  #map(type: ObjectType): Map<string, PropertyDef> {
    const map = this.#byType.get(type);
    if (!map) throw new Error(`unknown object type ${type}`);
    return map;
  }
}
