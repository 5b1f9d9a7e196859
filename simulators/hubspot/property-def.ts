/** One HubSpot property as the simulator keeps it (own file: the catalog and its seed data both use it). */
export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyDef {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: string;
  readonly groupName: string;
  readonly hubspotDefined: boolean;
  readonly readOnly: boolean;
  readonly options?: readonly string[];
  /** Added after the portal's records were seeded: only records written later carry a value. */
  readonly addedMidStream?: boolean;
  /** Bulk custom property `n` (seeded values are derived from it). */
  readonly bulkIndex?: number;
}
