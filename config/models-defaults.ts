import { CONNECTORS } from '../connectors/registry.js';
import {
  type ModelsConfig,
  type ModelsConfigInput,
  ModelsConfigSchema,
  type ModelsDefaults,
  resolveModelsConfig,
} from '../transform/models-config.js';

/** The connectors' contribution to the models section: survivorship order and required fields. */
export function connectorModelsDefaults(): ModelsDefaults {
  const byPriority = [...CONNECTORS].sort((a, b) => a.models.priority - b.models.priority);
  const [first, ...rest] = byPriority.map((c) => c.kind);
  if (first === undefined) throw new Error('the connector registry is empty');
  const requiredFields: Record<string, readonly string[]> = {};
  for (const c of CONNECTORS) {
    for (const [object, fields] of Object.entries(c.models.requiredFields)) {
      requiredFields[`${c.kind}.${object}`] = fields;
    }
  }
  return { sourcePriority: [first, ...rest], requiredFields };
}

/** The models section of a config that has none (tests, `tide models compile` without a config). */
export function defaultModelsConfig(): ModelsConfig {
  return resolveModelsConfig(ModelsConfigSchema.parse({}), connectorModelsDefaults());
}

/** A models section parsed and completed with the connectors' defaults (tests and benchmarks). */
export function modelsConfigFrom(input: ModelsConfigInput): ModelsConfig {
  return resolveModelsConfig(ModelsConfigSchema.parse(input), connectorModelsDefaults());
}
