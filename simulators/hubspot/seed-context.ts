import type { UniverseShare } from '../kit/universe.js';

/** HubSpot (marketing) holds most of the universe's people. */
export const HUBSPOT_PEOPLE: UniverseShare = { share: 0.9, stream: 11 };

/** What every HubSpot seeder needs: the seed, the shared universe's size and the portal's owners. */
export interface SeedContext {
  readonly seed: number;
  /** Size of the shared people universe (the simulator's `scale`). */
  readonly people: number;
  readonly ownerIds: readonly number[];
}
