import { personAt } from '../kit/universe.js';
import { ANCHOR_MS, rngFor } from './seed-timeline.js';

export interface Owner {
  readonly id: number;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly userId: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

const DAY = 86_400_000;

/** The portal's users who own records: one per ~2,000 people (5 to 500); the last one has left. */
export function seedOwners(seed: number, people: number): Owner[] {
  const count = Math.min(500, Math.max(5, Math.ceil(people / 2000)));
  const owners: Owner[] = [];
  for (let i = 0; i < count; i++) {
    // Owners are drawn from far outside the customer population, so no owner is also a contact.
    const p = personAt(seed, 900_000_000 + i, people);
    const r = rngFor(seed, 90, i);
    const created = ANCHOR_MS - (1000 + r.int(400)) * DAY;
    owners.push({
      id: 70_000_000 + i * 13,
      email: `${p.firstName}.${p.lastName}`.toLowerCase().replace(/[^a-z.]/g, '') + `${i}@tide-sales.example`,
      firstName: p.firstName,
      lastName: p.lastName,
      userId: 9_000_000 + i,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + r.int(900) * DAY).toISOString(),
      archived: i === count - 1,
    });
  }
  return owners;
}
