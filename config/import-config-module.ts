import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

const esmConfigHook = new URL('./esm-config-hook.mjs', import.meta.url);
/** Config files the format hook already knows; a hook cannot be unregistered, so one per file. */
const hooked = new Set<string>();
let loads = 0;

/**
 * Imports the user's config file as an ES module wherever it lives: inside Tide's checkout, in a
 * folder without package.json, or in a CommonJS package. tsx compiles it through a namespace of its
 * own, so each load reads the file afresh and the import is native Node even under a test runner.
 */
export async function importConfigModule(path: string): Promise<Record<string, unknown>> {
  // Node resolves symlinks before hooks see a URL, so the hook must be given the real path.
  const url = pathToFileURL(realpathSync(path)).href;
  // Stack traces of errors the config throws then point at its TypeScript lines, not tsx's output.
  process.setSourceMapsEnabled(true);
  if (!hooked.has(url)) {
    register(esmConfigHook, { data: { urls: [url] } });
    hooked.add(url);
  }
  loads += 1;
  const tsx = registerTsx({ namespace: `tide-config-${process.pid}-${loads}` });
  try {
    return (await tsx.import(url, import.meta.url)) as Record<string, unknown>;
  } finally {
    await tsx.unregister();
  }
}
