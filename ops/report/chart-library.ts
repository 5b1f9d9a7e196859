import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Chart.js (chart.js on npm, MIT), the build that defines `window.Chart`, read from the installed
 * package so the report carries it inline and opens from disk with no network. Chosen because it is
 * the most used and actively released chart library, draws on canvas (a report of hundreds of runs
 * stays light), has line, bar and stacked charts and per-point colours built in (thresholds are a
 * dashed dataset, breaches red points: no plugin needed), and its UMD build is one ~210 kB file.
 */
export function chartLibrary(): { readonly source: string; readonly version: string } {
  const require = createRequire(import.meta.url);
  // The package exports no subpath for the UMD build: it sits beside the CommonJS entry.
  const dist = dirname(require.resolve('chart.js'));
  const source = readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
  const version = /Chart\.js v([\d.]+)/.exec(source)?.[1] ?? 'unknown';
  return { source: safeInScript(source), version };
}

/** Text that cannot end the <script> element it is inlined in. */
export function safeInScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
