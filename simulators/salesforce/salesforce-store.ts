import { idSeq } from './salesforce-ids.js';
import { buildSeedContext, type SeedContext } from './seed-context.js';
import { CATALOG } from './sobject-catalog.js';
import type { FieldValue } from './sobject-schema.js';
import { sobjectSeeder } from './sobject-seed.js';
import { SObjectTable } from './sobject-table.js';

/** Every object table of one simulated org, wired together where formulas reach across objects. */
export class SalesforceStore {
  readonly context: SeedContext;
  readonly #tables = new Map<string, SObjectTable>();

  constructor(seed: number, scale: number) {
    this.context = buildSeedContext(seed, scale);
    for (const schema of CATALOG) {
      const table = new SObjectTable(
        schema,
        sobjectSeeder(this.context, schema.name),
        this.context.orgCreatedMs,
      );
      this.#tables.set(schema.name.toLowerCase(), table);
    }
    const accounts = this.table('Account')!;
    const industries = new Map<number, FieldValue>();
    let seenVersion = accounts.version;
    // A cross-object formula: the Contact's value follows its Account, and its SystemModstamp does not.
    this.table('Contact')!.computed = (values) => {
      const seq = typeof values.AccountId === 'string' ? idSeq('001', values.AccountId) : null;
      if (seq === null || !accounts.exists(seq)) {
        values.Account_Industry__c = null;
        return;
      }
      if (seenVersion !== accounts.version) {
        industries.clear();
        seenVersion = accounts.version;
      }
      let industry = industries.get(seq);
      if (industry === undefined) {
        industry = accounts.record(seq).Industry ?? null;
        industries.set(seq, industry);
      }
      values.Account_Industry__c = industry;
    };
  }

  /** Object names resolve case-insensitively, like SOQL's FROM. */
  table(name: string): SObjectTable | undefined {
    return this.#tables.get(name.toLowerCase());
  }

  tables(): readonly SObjectTable[] {
    return [...this.#tables.values()];
  }
}
