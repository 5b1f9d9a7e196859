/** The v2 entities the simulator serves, each with its v1 *Fields endpoint and token tag. */
export const ENTITIES = ['persons', 'organizations', 'deals', 'activities'] as const;
export type Entity = (typeof ENTITIES)[number];

/** Objects whose custom fields are described by a v1 `/{object}Fields` endpoint. */
export const FIELD_OBJECTS = {
  personFields: 'persons',
  organizationFields: 'organizations',
  dealFields: 'deals',
  activityFields: 'activities',
} as const satisfies Record<string, Entity>;
export type FieldObject = keyof typeof FIELD_OBJECTS;

export function parseEntity(name: string): Entity | null {
  return (ENTITIES as readonly string[]).includes(name) ? (name as Entity) : null;
}

/** Which of the entities carry custom fields (activities have none in Pipedrive). */
export function hasCustomFields(entity: Entity): boolean {
  return entity !== 'activities';
}
