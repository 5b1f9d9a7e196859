import type { z } from 'zod';
import type { SimulatorOptions } from '../core/config-pieces.js';
import type { Destination, DestinationCapabilities } from '../core/destination.js';
import type { Source } from '../core/source.js';
import { TideError } from '../core/tide-error.js';
import type { ConnectionDeps, SourceDeps } from './connections.js';

/** What every CRM's config section has, whatever else its connector adds. */
export interface SourceConfigBase {
  readonly kind: string;
  /** Prefixes the raw tables (`raw.<name>__<stream>`) and names the account in syncs. */
  readonly name: string;
  /** First run reads records modified on or after this date; null = everything. */
  readonly startDate: string | null;
  /** Present when the demo should run against Tide's built-in simulator of this CRM. */
  readonly simulator?: SimulatorOptions | undefined;
}

/**
 * A connector's config schema: a zod object with a literal `kind`, so the registry can build one
 * discriminated union of every connector's section (the error for `kind: 'hubspot'` then names only
 * HubSpot's keys).
 */
export type ConnectorConfigSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & z.ZodRawShape>;

/** A simulator the demo started for a source, and the credentials it issued. */
export interface DemoSimulator {
  readonly baseUrl: string;
  /** Credentials the simulator accepts, under the environment-variable names the config gives. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface DemoSimulatorOptions extends SimulatorOptions {
  /** Port to listen on; a free ephemeral port when absent. */
  readonly port?: number;
}

/** What the SQL models need to know about a CRM (transform/models-config.ts assembles them). */
export interface ConnectorModelDefaults {
  /** Survivorship rank when the config gives no `models.sourcePriority`: 1 = most trusted. */
  readonly priority: number;
  /** Staging columns that must be filled for a record to count as complete, per stream. */
  readonly requiredFields: Readonly<Record<string, readonly string[]>>;
}

/**
 * Everything Tide knows about one CRM, as one value (connectors/<crm>/<crm>-connector.ts). The stages
 * never name a CRM: config validation, source and destination creation, capability checks, the demo's
 * simulators and the models' per-CRM defaults all go through connectors/registry.ts, which lists these.
 */
export interface ConnectorDefinition<C extends SourceConfigBase> {
  /** The config `kind` (`hubspot`), also the `crm` column of the staging models. */
  readonly kind: C['kind'];
  /** The vendor's name for messages (`HubSpot`). */
  readonly vendor: string;
  createSource(config: C, deps: SourceDeps): Source;
  /** Reverse ETL into this CRM; null when Tide cannot write to it. */
  readonly destination: {
    readonly capabilities: DestinationCapabilities;
    create(config: C, deps: ConnectionDeps): Destination;
  } | null;
  /** Starts the built-in simulator (loaded only when a config asks for it: it is a demo tool). */
  startSimulator(config: C, options: DemoSimulatorOptions): Promise<DemoSimulator>;
  readonly models: ConnectorModelDefaults;
}

/**
 * A registry entry. Its config schema keeps its precise type (the registry builds the typed config
 * union from it); its methods take any parsed source config and refuse one of another kind.
 */
export interface Connector<S extends ConnectorConfigSchema = ConnectorConfigSchema> {
  readonly kind: string;
  readonly vendor: string;
  readonly configSchema: S;
  readonly capabilities: DestinationCapabilities | null;
  readonly models: ConnectorModelDefaults;
  createSource(config: SourceConfigBase, deps: SourceDeps): Source;
  /** Throws a config error when the CRM has no reverse ETL (config validation refuses such syncs first). */
  createDestination(config: SourceConfigBase, deps: ConnectionDeps): Destination;
  startSimulator(config: SourceConfigBase, options: DemoSimulatorOptions): Promise<DemoSimulator>;
}

/**
 * Builds a registry entry from a typed definition. The registry hands a connector only configs its
 * own schema parsed (it looks connectors up by `kind`); the check below makes that a proof rather than
 * an assumption: the kind literal is the discriminant of the config union.
 */
export function defineConnector<S extends ConnectorConfigSchema>(
  configSchema: S,
  definition: ConnectorDefinition<z.output<S> & SourceConfigBase>,
): Connector<S> {
  type Config = z.output<S> & SourceConfigBase;
  const isOwn = (config: SourceConfigBase): config is Config => config.kind === definition.kind;
  const own = (config: SourceConfigBase): Config => {
    if (!isOwn(config)) {
      throw new TideError('internal', `the ${definition.kind} connector was given a ${config.kind} config`);
    }
    return config;
  };
  const destination = definition.destination;
  return {
    kind: definition.kind,
    vendor: definition.vendor,
    configSchema,
    capabilities: destination?.capabilities ?? null,
    models: definition.models,
    createSource: (config, deps) => definition.createSource(own(config), deps),
    createDestination: (config, deps) => {
      if (destination === null) {
        throw new TideError('config_invalid', `reverse ETL does not support ${definition.vendor} yet`);
      }
      return destination.create(own(config), deps);
    },
    startSimulator: (config, options) => definition.startSimulator(own(config), options),
  };
}
