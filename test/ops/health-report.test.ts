import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { openDuckdbWarehouse } from '../../load/duckdb/duckdb-warehouse.js';
import demo from '../../pipeline.config.js';
import { type LaunchedChromium, launchChromium } from '../browser/launch-chromium.js';
import { tide } from '../cli/cli-helpers.js';
import { smallDemoConfig } from './demo-config.js';

/** Kept after the run (gitignored): what the report looked like in the browser. */
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

interface ChartFacts {
  readonly id: string;
  /** Points and bars drawn with a value (a null is a gap, not a mark). */
  readonly marks: number;
  /** Pixels of the canvas that are not background. */
  readonly inked: number;
  readonly labels: readonly string[];
  /** Point colours of every dataset (breaches are red). */
  readonly pointColors: readonly string[];
}

describe('the health report of the demo after two runs, in headless Chromium', () => {
  let project: ReturnType<typeof smallDemoConfig>;
  let browser: LaunchedChromium;
  let report: string;

  beforeAll(async () => {
    // A completion threshold the demo's CRMs cannot meet, so breaches are certain.
    project = smallDemoConfig({ extra: { health: { thresholds: { requiredFieldCompletion: 0.99 } } } });
    const first = await tide('run', '--config', project.file);
    expect(first.code, first.stderr).toBe(ExitCode.ok);
    const second = await tide(
      'run',
      '--config',
      project.file,
      '--report',
      join(project.dir, 'after-run.html'),
    );
    expect(second.code, second.stderr).toBe(ExitCode.ok);
    report = join(project.dir, 'report.html');
    const written = await tide('report', '--config', project.file, '--out', report);
    expect(written.code, written.stderr).toBe(ExitCode.ok);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('tide.runs holds both runs, with their counts', async () => {
    const warehouse = await openDuckdbWarehouse({ path: project.db });
    try {
      const rows: Record<string, unknown>[] = [];
      for await (const r of warehouse.query(
        'SELECT command, status, exit_code, records_loaded, models_built, api_calls FROM tide.runs ORDER BY started_at',
      )) {
        rows.push({ ...r });
      }
      expect(rows.map((r) => [r.command, r.status, r.exit_code])).toEqual([
        ['run', 'success', 0],
        ['run', 'success', 0],
      ]);
      for (const r of rows) {
        expect(Number(r.records_loaded)).toBeGreaterThan(0);
        expect(Number(r.models_built)).toBeGreaterThan(20);
        expect(Number(r.api_calls)).toBeGreaterThan(0);
      }
      // A sync's calls are every request it made: one PATCH per record where the CRM has no batch write.
      const [first] = await collect(
        warehouse,
        'SELECT counts_json FROM tide.runs ORDER BY started_at LIMIT 1',
      );
      const syncs = (
        JSON.parse(String(first?.counts_json)) as {
          syncs: { sync: string; written: number; calls: number }[];
        }
      ).syncs;
      const perRecord = syncs.find((x) => x.sync === 'scores_to_pipedrive');
      expect(perRecord?.written).toBeGreaterThan(0);
      expect(perRecord?.calls).toBeGreaterThan(perRecord?.written ?? Number.POSITIVE_INFINITY);
      // Every load of both runs carries one of their run ids.
      const [loads] = await collect(
        warehouse,
        'SELECT count(*) AS n, count(*) FILTER (WHERE run_id IN (SELECT run_id FROM tide.runs)) AS ours FROM tide.loads',
      );
      expect(Number(loads?.ours)).toBe(Number(loads?.n));
    } finally {
      await warehouse.close();
    }
    expect(existsSync(join(project.dir, 'after-run.html'))).toBe(true);
  });

  it('is one file that needs nothing else: no request leaves it, no console error, every chart drawn', async () => {
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i);
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request to ${r.url()}`);
    });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(pathToFileURL(report).href);
    expect(problems).toEqual([]);

    const charts: ChartFacts[] = await page.$$eval('figure.chart canvas', (canvases) =>
      canvases.map((element) => {
        // Browser objects, typed here by what is read from them (the tests compile without the DOM lib).
        interface Canvas {
          readonly id: string;
          readonly width: number;
          readonly height: number;
          getContext(
            kind: '2d',
          ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
        }
        interface DrawnChart {
          data: { datasets: { label: string; data: (number | null)[]; pointBackgroundColor?: unknown }[] };
          getDatasetMeta(i: number): { data: { skip?: boolean }[] };
        }
        const canvas = element as unknown as Canvas;
        const { Chart } = globalThis as unknown as {
          Chart: { getChart(c: unknown): DrawnChart | undefined };
        };
        const chart = Chart.getChart(canvas);
        const pixels =
          canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ??
          new Uint8ClampedArray();
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) if ((pixels[i + 3] ?? 0) > 0) inked++;
        const datasets = chart?.data.datasets ?? [];
        let marks = 0;
        datasets.forEach((d, i) => {
          const meta = chart?.getDatasetMeta(i);
          d.data.forEach((v, j) => {
            if (v !== null && meta?.data[j] !== undefined && meta.data[j].skip !== true) marks++;
          });
        });
        return {
          id: canvas.id,
          marks,
          inked,
          labels: datasets.map((d) => d.label),
          pointColors: datasets.flatMap((d) =>
            Array.isArray(d.pointBackgroundColor) ? (d.pointBackgroundColor as string[]) : [],
          ),
        };
      }),
    );
    // The runs, then per CRM sync failures, API errors, requests by class, freshness, quality; reverse ETL.
    expect(charts.length).toBeGreaterThan(15);
    for (const chart of charts) {
      expect(chart.marks, `${chart.id} has no marks`).toBeGreaterThan(0);
      expect(chart.inked, `${chart.id} is blank`).toBeGreaterThan(500);
    }
    // Every source of the demo has its section, found in the data, not in a list of CRMs.
    const sections = await page.$$eval('section h2', (hs) => hs.map((h) => h.textContent ?? ''));
    const names = demo.sources.map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const source of names) expect(sections).toContain(source);
    expect(sections).toContain('Reverse ETL');

    // Thresholds drawn where configured; the breached one flagged in red on its chart and listed.
    const completion = charts.filter((c) => c.id.endsWith('-completion'));
    expect(completion.length).toBeGreaterThan(0);
    for (const c of completion) expect(c.labels).toContain('threshold ≥ 99 %');
    expect(completion.some((c) => c.pointColors.includes('#d50000'))).toBe(true);
    for (const c of charts.filter((x) => x.id.endsWith('-sync-failures')))
      expect(c.labels).toContain('threshold ≤ 1 %');
    for (const c of charts.filter((x) => x.id.endsWith('-api-errors')))
      expect(c.labels).toContain('threshold ≤ 0.5 %');
    const breaches = await page.textContent('.breaches');
    expect(breaches).toContain('Required-field completion');

    // Every stream as it stands now, with when its deletes were last checked against the CRM.
    const streams = await page.$$eval('#streams tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const warehouse = await openDuckdbWarehouse({ path: project.db });
    const status = await collect(
      warehouse,
      "SELECT source || '.' || stream AS s FROM tide.loads GROUP BY 1 ORDER BY 1",
    ).finally(() => warehouse.close());
    expect(streams.map((r) => r[0]).sort()).toEqual(status.map((r) => String(r['s'])));
    // HubSpot lists archived records on every run by default: its deletes were checked minutes ago.
    expect(streams.find((r) => r[0] === 'hubspot.contacts')?.[4]).toMatch(/^\d+[sm] ago$/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'health-report.png'), fullPage: true });
    await page.close();
  });
});

async function collect(
  warehouse: Awaited<ReturnType<typeof openDuckdbWarehouse>>,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of warehouse.query(sql)) out.push({ ...r });
  return out;
}
