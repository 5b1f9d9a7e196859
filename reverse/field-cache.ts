import type { CrmField } from '../core/destination.js';

/**
 * A Destination's field metadata per object, fetched once per session (doctor, the check before a
 * push and validation all ask). A failed fetch is forgotten, so the next caller tries again.
 */
export class FieldCache {
  readonly #byObject = new Map<string, Promise<readonly CrmField[]>>();

  get(object: string, load: () => Promise<readonly CrmField[]>): Promise<readonly CrmField[]> {
    let cached = this.#byObject.get(object);
    if (cached === undefined) {
      cached = load();
      cached.catch(() => this.#byObject.delete(object));
      this.#byObject.set(object, cached);
    }
    return cached;
  }
}
