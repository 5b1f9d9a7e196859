import type { Breach } from '../health/breaches.js';
import type { HealthData } from '../health/health-data.js';
import {
  formatMetric,
  METRIC_NAMES,
  METRICS,
  type MetricName,
  type Thresholds,
} from '../health/thresholds.js';
import type { RunHistoryEntry } from '../runs/run-history.js';
import { totalsOf } from '../runs/run-record.js';
import { chartLibrary, safeInScript } from './chart-library.js';
import { buildSections, type ChartSpec, runsChart } from './report-charts.js';
import { REPORT_CLIENT } from './report-client.js';
import { esc, num, table } from './report-html.js';
import { REPORT_STYLE } from './report-style.js';
import { streamsTable } from './streams-table.js';

export interface ReportInput {
  readonly data: HealthData;
  readonly thresholds: Thresholds;
  readonly breaches: readonly Breach[];
  readonly generatedAt: Date;
  /** Where the data came from, for the header (`duckdb ./tide.duckdb`). */
  readonly warehouse: string;
}

/**
 * The health report as ONE self-contained HTML file: styles, Chart.js, the data and the drawing
 * script are all inline, so it opens from disk, offline, and can be mailed or archived as it is.
 */
export function renderReport(input: ReportInput): string {
  const { data, thresholds, breaches } = input;
  const sections = buildSections(data, thresholds);
  const timeline = runsChart(data);
  const charts: ChartSpec[] = [timeline, ...sections.flatMap((s) => s.charts)];
  const payload = {
    labels: data.runs.map((r) => runLabel(r.startedAt)),
    runTitles: data.runs.map((r) => `${r.runId} · tide ${r.command} · ${r.status}`),
    charts,
  };
  const library = chartLibrary();
  const body = [
    `<header><h1>Tide health report</h1><p class="meta">${esc(input.warehouse)} · ${data.runs.length} run(s) · generated ${esc(input.generatedAt.toISOString())}</p></header>`,
    summary(data, breaches),
    `<section id="runs"><h2>Runs</h2>${chartCard(timeline)}${runsTable(data.runs)}</section>`,
    ...sections.map(
      (s) =>
        `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2><div class="grid">${s.charts.map(chartCard).join('')}</div>${s.id === 'reverse' ? reasonsTable(data) : ''}</section>`,
    ),
    overview(data, thresholds),
    lastRunTable(data),
    streamsTable(data.streams, input.generatedAt),
    thresholdsTable(thresholds),
    `<footer>Charts drawn by Chart.js ${esc(library.version)} (MIT), bundled into this file.</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tide health report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
${body}
<script>${library.source}</script>
<script type="application/json" id="tide-report-data">${safeInScript(JSON.stringify(payload))}</script>
<script>${REPORT_CLIENT}</script>
</body>
</html>
`;
}

function summary(data: HealthData, breaches: readonly Breach[]): string {
  const parts: string[] = [];
  if (data.runs.length === 0) {
    parts.push(
      '<p class="warn">No finished run yet: run <code>tide run</code>, then write the report again.</p>',
    );
  }
  if (breaches.length === 0 && data.runs.length > 0) {
    parts.push('<p class="ok">Every metric with a threshold is within it at its latest measure.</p>');
  } else if (breaches.length > 0) {
    const items = breaches.map(
      (b) =>
        `<li><strong>${esc(METRICS[b.metric].label)}</strong> of <code>${esc(b.key)}</code>: ${esc(formatMetric(b.metric, b.value))} (threshold ${METRICS[b.metric].healthy === 'below' ? '≤' : '≥'} ${esc(formatMetric(b.metric, b.threshold))})${b.crossed ? ' <span class="tag">new</span>' : ''}</li>`,
    );
    parts.push(
      `<div class="breaches"><h2>${breaches.length} breach(es)</h2><ul>${items.join('')}</ul></div>`,
    );
  }
  for (const run of data.unfinished) {
    parts.push(
      `<p class="warn">Run <code>${esc(run.runId)}</code> (tide ${esc(run.command)}) started ${esc(run.startedAt.toISOString())} and has not finished: still running, or stopped without recording its end.</p>`,
    );
  }
  if (data.qualityProblem !== null) parts.push(`<p class="warn">${esc(data.qualityProblem)}</p>`);
  return `<section id="summary">${parts.join('')}</section>`;
}

function chartCard(spec: ChartSpec): string {
  return `<figure class="chart" data-chart="${esc(spec.id)}"><figcaption><strong>${esc(spec.title)}</strong><span>${esc(spec.note)}</span></figcaption><div class="box"><canvas id="chart-${esc(spec.id)}" role="img" aria-label="${esc(spec.title)}"></canvas></div></figure>`;
}

function runsTable(runs: readonly RunHistoryEntry[]): string {
  const rows = [...runs]
    .reverse()
    .slice(0, 10)
    .map((r) => {
      const t = r.counts === null ? null : totalsOf(r.counts);
      const seconds = r.finishedAt === null ? null : (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000;
      return `<tr class="${esc(r.status)}"><td><code>${esc(r.runId)}</code></td><td>${esc(r.command)}</td><td>${esc(r.status)}</td><td class="n">${r.exitCode ?? '–'}</td><td class="n">${seconds === null ? '–' : `${seconds.toFixed(1)} s`}</td><td class="n">${num(t?.recordsLoaded)}</td><td class="n">${num(t?.modelsBuilt)}</td><td class="n">${num(t?.recordsWritten)}</td><td class="n">${num(t?.recordsRejected)}</td><td class="n">${num(t?.apiCalls)} / ${num(t?.apiErrors)}</td><td>${esc((r.errorSummary ?? '').split('\n')[0] ?? '')}</td></tr>`;
    });
  return table(
    [
      'run',
      'command',
      'status',
      'exit',
      'time',
      'loaded',
      'models',
      'written',
      'rejected',
      'API calls / errors',
      'first error',
    ],
    rows,
  );
}

/** Latest value of every metric per source/object; breaching cells marked. */
function overview(data: HealthData, thresholds: Thresholds): string {
  const keys = new Map<string, Partial<Record<MetricName, number>>>();
  for (const metric of METRIC_NAMES) {
    for (const s of data.metrics[metric]) {
      const last = [...s.values].reverse().find((v) => v !== null);
      if (last === undefined || last === null) continue;
      const entry = keys.get(s.key) ?? {};
      entry[metric] = last;
      keys.set(s.key, entry);
    }
  }
  if (keys.size === 0) return '';
  const columns = METRIC_NAMES.filter((m) => [...keys.values()].some((e) => e[m] !== undefined));
  const rows = [...keys]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => {
      const cells = columns.map((m) => {
        const v = values[m];
        if (v === undefined) return '<td class="n">–</td>';
        const threshold = thresholds[m];
        const bad = threshold !== null && (METRICS[m].healthy === 'below' ? v > threshold : v < threshold);
        return `<td class="n${bad ? ' bad' : ''}">${esc(formatMetric(m, v))}</td>`;
      });
      return `<tr><td><code>${esc(key)}</code></td>${cells.join('')}</tr>`;
    });
  return `<section id="overview"><h2>Latest measures</h2>${table(['', ...columns.map((m) => METRICS[m].label)], rows)}</section>`;
}

function lastRunTable(data: HealthData): string {
  const last = [...data.runs].reverse().find((r) => (r.counts?.streams.length ?? 0) > 0);
  if (last === undefined || last.counts === null) return '';
  const rows = last.counts.streams.map(
    (s) =>
      `<tr class="${s.status === 'ok' ? '' : esc(s.status)}"><td><code>${esc(s.source)}.${esc(s.stream)}</code></td><td>${esc(s.status)}</td><td class="n">${num(s.records)}</td><td class="n">${num(s.deleted)}</td><td class="n">${s.seconds.toFixed(1)} s</td><td>${esc(s.error ?? '')}</td></tr>`,
  );
  return `<section id="last-run"><h2>Last extraction, per stream</h2><p class="meta">run <code>${esc(last.runId)}</code> (tide ${esc(last.command)}), ${esc(last.startedAt.toISOString())}</p>${table(['stream', 'status', 'records', 'deleted', 'time', 'error'], rows)}</section>`;
}

function reasonsTable(data: HealthData): string {
  if (data.rejectReasons.length === 0) return '<p class="meta">No rejected record in these runs.</p>';
  const rows = data.rejectReasons.map(
    (r) => `<tr><td>${esc(r.sync)}</td><td class="n">${num(r.count)}</td><td>${esc(r.reason)}</td></tr>`,
  );
  return `<h3>Top reject reasons</h3>${table(['sync', 'records', 'reason'], rows)}`;
}

function thresholdsTable(thresholds: Thresholds): string {
  const rows = METRIC_NAMES.map((m) => {
    const t = thresholds[m];
    const when =
      t === null ? 'not checked' : `${METRICS[m].healthy === 'below' ? '≤' : '≥'} ${formatMetric(m, t)}`;
    return `<tr><td>${esc(METRICS[m].label)}</td><td>${esc(when)}</td><td>${esc(METRICS[m].what)}</td></tr>`;
  });
  return `<section id="thresholds"><h2>Thresholds</h2><p class="meta">config <code>health.thresholds</code></p>${table(['metric', 'healthy when', 'measured as'], rows)}</section>`;
}

function runLabel(at: Date): string {
  return at.toISOString().slice(5, 19).replace('T', ' ');
}
