import type { ZohoClient } from './zoho-client.js';
import type { ZohoField } from './zoho-schemas.js';

/**
 * Each module's field definitions (`GET /crm/v8/settings/fields?module=…`), shared by the account's
 * streams and its destination. A read asks for fresh ones (custom fields appear and change); column
 * listing and validation take the last ones fetched. A failed fetch is forgotten.
 */
export class ZohoFieldCatalog {
  readonly #client: ZohoClient;
  readonly #byModule = new Map<string, Promise<ZohoField[]>>();

  constructor(client: ZohoClient) {
    this.#client = client;
  }

  fields(module: string, options: { fresh?: boolean; signal?: AbortSignal } = {}): Promise<ZohoField[]> {
    let cached = this.#byModule.get(module);
    if (cached === undefined || options.fresh === true) {
      const pending = this.#client.fields(module, options.signal);
      cached = pending;
      this.#byModule.set(module, pending);
      pending.catch(() => {
        if (this.#byModule.get(module) === pending) this.#byModule.delete(module);
      });
    }
    return cached;
  }
}
