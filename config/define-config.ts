import type { PipelineConfigInput } from './schema.js';

/**
 * Typed identity for `pipeline.config.ts`: editors check the shape as you type; Tide validates it
 * again with zod when it loads, because a config file can compute anything at runtime.
 */
export function defineConfig(config: PipelineConfigInput): PipelineConfigInput {
  return config;
}
