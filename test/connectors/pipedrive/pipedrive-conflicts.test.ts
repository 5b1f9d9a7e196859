import { PipedriveSourceSchema } from '../../../connectors/pipedrive/pipedrive-config.js';
import { pipedriveClientFor } from '../../../connectors/pipedrive/pipedrive-connection.js';
import { PipedriveDestination } from '../../../connectors/pipedrive/pipedrive-destination.js';
import { createPipedriveSource } from '../../../connectors/pipedrive/pipedrive-source.js';
import { MemoryLogger } from '../../../log/console-logger.js';
import { startPipedriveSimulator } from '../../../simulators/pipedrive/start-pipedrive-simulator.js';
import { describeConflictConformance } from '../../conformance/conflict-conformance.js';

interface Person {
  readonly id: number;
  readonly is_deleted?: boolean;
  readonly custom_fields: Readonly<Record<string, unknown>>;
}
interface FieldDef {
  readonly key: string;
  readonly name: string;
}

// Field ownership through the Pipedrive simulator: the custom field "Lead score", which the sync names
// by its label and Pipedrive stores (and Tide writes) under its 40-character hash key.
describeConflictConformance('pipedrive', async () => {
  const sim = await startPipedriveSimulator({ seed: 13, scale: 200, burstLimit: 0 });
  // Its headers tell the client the window (without them it assumes the smallest plan's 20).
  await sim.control.configure({ burstLimit: 1000 });
  const config = PipedriveSourceSchema.parse({
    kind: 'pipedrive',
    name: 'pipedrive',
    apiTokenEnv: 'PD_TOKEN',
    streams: ['persons'],
    overlapMinutes: 0,
  });
  const deps = { env: { PD_TOKEN: sim.apiToken }, baseUrl: sim.baseUrl };
  const destination = new PipedriveDestination('pipedrive', pipedriveClientFor(config, deps));
  const defs = (await sim.control.truth('personFields')) as FieldDef[];
  const keyOf = (name: string): string => {
    const def = defs.find((d) => d.name === name);
    if (def === undefined) throw new Error(`no person field ${name}`);
    return def.key;
  };
  const persons = async (): Promise<Person[]> => (await sim.control.truth('persons')) as Person[];
  const handedOut = new Set<string>();
  return {
    kind: 'pipedrive',
    destination,
    source: createPipedriveSource(config, { ...deps, log: new MemoryLogger() }),
    object: 'persons',
    numberField: 'Lead score',
    batchWrites: false,
    async existingIds(n) {
      const fresh = (await persons())
        .filter((p) => !p.is_deleted && !handedOut.has(String(p.id)))
        .slice(0, n);
      for (const p of fresh) handedOut.add(String(p.id));
      return fresh.map((p) => String(p.id));
    },
    async valueOf(id, field) {
      return (await persons()).find((p) => String(p.id) === id)?.custom_fields[keyOf(field)];
    },
    async edit(id, field, value) {
      await sim.control.mutate({
        object: 'persons',
        ids: [Number(id)],
        set: { custom_fields: { [keyOf(field)]: value } },
      });
    },
    writeCalls: async () => (await sim.control.stats()).writes,
    close: () => sim.close(),
  };
});
