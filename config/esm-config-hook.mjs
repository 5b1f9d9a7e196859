// Node module hook (module.register): the config files named in `data.urls` resolve as ES modules.
// Without it, a pipeline.config.ts outside any `"type": "module"` package is CommonJS to tsx, and
// an ESM-syntax config then fails with "Cannot require() ES Module … in a cycle" (or cannot use
// top-level await). Registered before tsx's namespaced hooks, so tsx sees the format as decided.

/** @type {Set<string>} */
let esmUrls = new Set();

/** @param {{ urls: string[] }} data */
export function initialize(data) {
  esmUrls = new Set(data.urls);
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: object) => Promise<{ url: string; format?: string | null }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  return esmUrls.has(resolved.url) ? { ...resolved, format: 'module' } : resolved;
}
