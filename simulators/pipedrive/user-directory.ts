import { ANCHOR_MS, rngFor, v1Time } from './pipedrive-time.js';

const NAMES = ['Ana Pereira', 'Ben Okoro', 'Chen Wei', 'Dana Levi', 'Eli Novak', 'Fatima Zahra', 'Gus Berg'];

export interface SimUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly createdMs: number;
  modifiedMs: number;
  activeFlag: boolean;
}

/** Seats of the simulated company: one per ~5,000 persons, at least 3, at most 40. */
export function seedUsers(seed: number, persons: number): SimUser[] {
  const count = Math.min(40, Math.max(3, Math.ceil(persons / 5000)));
  return Array.from({ length: count }, (_, i) => {
    const r = rngFor(seed, 6, i);
    const name = `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${i}` : ''}`;
    const createdMs = ANCHOR_MS - (1000 + r.int(300)) * 86_400_000;
    return {
      id: 11_000_000 + i * 7 + 1,
      name,
      email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@sales-team.example.com`,
      createdMs,
      modifiedMs: createdMs + r.int(900) * 86_400_000,
      activeFlag: i === 0 || r.chance(0.9),
    };
  });
}

/** A user as `GET /v1/users` returns it. */
export function publicUser(user: SimUser, index: number): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    default_currency: 'USD',
    locale: 'en_US',
    lang: 1,
    email: user.email,
    phone: null,
    activated: true,
    last_login: v1Time(Math.max(user.modifiedMs, user.createdMs)),
    created: v1Time(user.createdMs),
    modified: v1Time(user.modifiedMs),
    has_created_company: index === 0,
    access: [{ app: 'sales', admin: index === 0, permission_set_id: 'sim-default' }],
    active_flag: user.activeFlag,
    timezone_name: 'Europe/Berlin',
    timezone_offset: '+01:00',
    role_id: 1,
    icon_url: null,
    is_you: index === 0,
    is_deleted: false,
  };
}
