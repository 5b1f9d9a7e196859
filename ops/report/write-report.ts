import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Breach, findBreaches } from '../health/breaches.js';
import type { HealthData } from '../health/health-data.js';
import type { Thresholds } from '../health/thresholds.js';
import { renderReport } from './render-report.js';

export interface WriteReportOptions {
  readonly data: HealthData;
  readonly thresholds: Thresholds;
  readonly file: string;
  /** For the header: which warehouse the data came from. */
  readonly warehouse: string;
  readonly now?: Date;
}

/**
 * Renders the report and writes it next to its final name first, then renames it: a browser (or a
 * web server publishing the file) never sees half a report.
 */
export function writeReport(options: WriteReportOptions): {
  path: string;
  bytes: number;
  breaches: Breach[];
} {
  const breaches = findBreaches(options.data, options.thresholds);
  const html = renderReport({
    data: options.data,
    thresholds: options.thresholds,
    breaches,
    generatedAt: options.now ?? new Date(),
    warehouse: options.warehouse,
  });
  const path = resolve(options.file);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, html);
  renameSync(partial, path);
  return { path, bytes: Buffer.byteLength(html), breaches };
}
