import { defineConfig } from './config/define-config.js';

/**
 * The demo pipeline: every source runs against Tide's built-in simulator of that CRM (the `simulator`
 * block), so `npm start` works offline. To use a real account, delete `simulator` and export the
 * token named by `tokenEnv` (see README, "Real CRM credentials").
 */
export default defineConfig({
  sources: [
    {
      kind: 'hubspot',
      name: 'hubspot',
      tokenEnv: 'HUBSPOT_TOKEN',
      simulator: { seed: 42, scale: 5_000, mutationsPerStart: 25 },
    },
  ],
  warehouse: { kind: 'duckdb', path: './tide.duckdb' },
});
