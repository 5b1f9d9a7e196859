import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';
import { capabilitiesOf } from '../../connectors/registry.js';
import { TideError } from '../../core/tide-error.js';
import { refineSyncs, SyncSchema } from '../../reverse/sync-config.js';

const hubspot = { kind: 'hubspot', name: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN' } as const;
const sync = {
  name: 'scores',
  from: 'analytics.customer_scores',
  to: { crm: 'hubspot', object: 'contacts' },
  match: { by: 'id', column: 'hubspot_id' },
  fields: { score: 'tide_score' },
};

function problems(input: unknown): string {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TideError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

function issues(syncs: unknown[], sources: { name: string; kind: string }[]): string[] {
  const out: string[] = [];
  refineSyncs(
    syncs.map((s) => SyncSchema.parse(s)),
    sources,
    capabilitiesOf,
    { addIssue: (i) => out.push(`${i.path.join('.')}: ${i.message}`) },
  );
  return out;
}

describe('sync config', () => {
  it('fills defaults: update mode, batches of 100, syncs optional', () => {
    expect(parseConfig({ sources: [hubspot] }).syncs).toEqual([]);
    const [parsed] = parseConfig({ sources: [hubspot], syncs: [sync] }).syncs;
    expect(parsed).toMatchObject({
      mode: 'update',
      batchSize: 100,
      nulls: 'skip',
      maxRejectRate: 0.05,
      from: { kind: 'model', model: 'analytics.customer_scores' },
    });
  });

  it('accepts a SQL query as the source and drops a trailing semicolon', () => {
    const parsed = SyncSchema.parse({ ...sync, from: { sql: 'select 1 as hubspot_id, 2 as score;' } });
    expect(parsed.from).toEqual({ kind: 'sql', sql: 'select 1 as hubspot_id, 2 as score' });
  });

  it('refuses a batch size above 100 with the reason', () => {
    const message = problems({ sources: [hubspot], syncs: [{ ...sync, batchSize: 101 }] });
    expect(message).toContain('syncs[0].batchSize: batchSize is at most 100');
  });

  it('names the sync path of each problem', () => {
    const message = problems({
      sources: [hubspot],
      syncs: [
        { ...sync, fields: {}, mode: 'overwrite' },
        { ...sync, name: 'Bad Name', match: { by: 'phone', column: 'x' } },
      ],
    });
    expect(message).toContain('syncs[0].fields: map at least one column');
    expect(message).toContain('syncs[0].mode');
    expect(message).toContain('syncs[1].name');
    expect(message).toContain('syncs[1].match.by');
  });

  it('refuses upsert by CRM id, two columns on one field, and writing the match field', () => {
    expect(() => SyncSchema.parse({ ...sync, mode: 'upsert' })).toThrow(/upsert creates records/);
    expect(() => SyncSchema.parse({ ...sync, fields: { a: 'tide_score', b: 'TIDE_SCORE' } })).toThrow(
      /both map to CRM field/,
    );
    expect(() =>
      SyncSchema.parse({
        ...sync,
        match: { by: 'email', column: 'email', field: 'email' },
        fields: { e: 'email' },
      }),
    ).toThrow(/is the match field/);
  });

  it('refuses column names that are not plain identifiers (they are inlined in SQL)', () => {
    expect(() => SyncSchema.parse({ ...sync, fields: { 'score"; drop table x; --': 'tide_score' } })).toThrow(
      /warehouse column name/,
    );
  });

  it('checks the CRM exists and can do what the sync asks', () => {
    expect(issues([sync], [{ name: 'hubspot', kind: 'hubspot' }])).toEqual([]);
    expect(
      issues([{ ...sync, to: { crm: 'sf', object: 'Contact' } }], [{ name: 'hubspot', kind: 'hubspot' }]),
    ).toEqual(['syncs.0.to.crm: no source named "sf" (configured: hubspot)']);
    const pipedrive = [{ name: 'pd', kind: 'pipedrive' }];
    const byEmail = {
      ...sync,
      to: { crm: 'pd', object: 'people' },
      mode: 'upsert',
      match: { by: 'email', column: 'email' },
    };
    const found = issues([byEmail], pipedrive);
    expect(found.join('\n')).toContain('syncs.0.match.by: Pipedrive cannot match by email');
    expect(found.join('\n')).toContain('syncs.0.mode: Pipedrive cannot upsert by email');
    expect(found.join('\n')).toContain('syncs.0.to.object: Pipedrive object must be one of persons');
    const sfUpsertByEmail = { ...byEmail, to: { crm: 'sf', object: 'Contact' } };
    expect(issues([sfUpsertByEmail], [{ name: 'sf', kind: 'salesforce' }])).toEqual([
      expect.stringContaining('syncs.0.mode: Salesforce cannot upsert by email'),
    ]);
    expect(issues([sync, sync], [{ name: 'hubspot', kind: 'hubspot' }])).toEqual([
      'syncs.1.name: duplicate sync name "scores"',
    ]);
  });
});
