import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocModel } from './collect-docs.js';
import { escapeHtml, page, STYLE } from './html.js';
import { type Layout, type LineageGraph, layoutLineage } from './lineage.js';
import { lineageSvg } from './lineage-svg.js';

/** Page of a model, relative to the site root. */
export function modelPath(name: string): string {
  return `models/${name}.html`;
}

/**
 * Writes the docs site into `dir`: index.html (every model by schema, the whole lineage) and one page
 * per model, plus style.css. Plain files with relative links: it works opened from disk, no server.
 * Returns the files written.
 */
export async function renderSite(
  dir: string,
  models: readonly DocModel[],
  lineage: LineageGraph,
  generatedAt: Date,
): Promise<string[]> {
  await mkdir(join(dir, 'models'), { recursive: true });
  const layout = layoutLineage(lineage);
  const files: [string, string][] = [
    ['style.css', STYLE],
    ['index.html', indexPage(models, layout, lineage, generatedAt)],
    ...models.map((m): [string, string] => [modelPath(m.name), modelPage(m, layout, lineage)]),
  ];
  for (const [file, text] of files) await writeFile(join(dir, file), text);
  return files.map(([file]) => file);
}

function indexPage(models: readonly DocModel[], layout: Layout, lineage: LineageGraph, at: Date): string {
  const schemas = [...new Set(models.map((m) => m.schema))].sort((a, b) =>
    a === 'analytics' ? -1 : b === 'analytics' ? 1 : a.localeCompare(b),
  );
  const sections = schemas.map((schema) => {
    const rows = models
      .filter((m) => m.schema === schema)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(
        (m) =>
          `<tr><td><a href="${modelPath(m.name)}">${escapeHtml(m.name)}</a></td><td>${m.materialized}</td>` +
          `<td>${buildCell(m)}</td><td>${testsCell(m)}</td><td>${escapeHtml(m.description ?? '')}</td></tr>`,
      )
      .join('\n');
    return `<h2>${escapeHtml(schema)}</h2>
<table><thead><tr><th>model</th><th>materialized</th><th>last build</th><th>data tests</th><th>description</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  });
  const kinds = (k: string) => lineage.nodes.filter((n) => n.kind === k).length;
  return page(
    'Models',
    '',
    `<h1>Models</h1>
<p class="meta">${models.length} models · ${kinds('raw')} CRM raw tables · ${kinds('sync')} reverse syncs · generated ${escapeHtml(at.toISOString())}</p>
<h2>Lineage</h2>
<p class="muted">CRM raw tables (blue) → models (green) → reverse syncs (orange). Click a model.</p>
<div class="graph" id="lineage">
${lineageSvg(layout, (name) => modelPath(name))}
</div>
${sections.join('\n')}`,
  );
}

function modelPage(m: DocModel, layout: Layout, lineage: LineageGraph): string {
  const link = (name: string): string => `<a href="${name}.html">${escapeHtml(name)}</a>`;
  const syncs = lineage.edges
    .filter(([from, to]) => from === `model:${m.name}` && to.startsWith('sync:'))
    .map(([, to]) => lineage.nodes.find((n) => n.id === to))
    .filter((n) => n !== undefined)
    .map((n) => `${escapeHtml(n.label)} <span class="muted">${escapeHtml(n.detail)}</span>`);
  const columns = m.columns
    .map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.name)}</code></td><td><code>${escapeHtml(c.type ?? '')}</code></td><td>${escapeHtml(c.description ?? '')}</td></tr>`,
    )
    .join('\n');
  const tests =
    m.tests.length === 0
      ? '<p class="muted">No data tests.</p>'
      : `<table><thead><tr><th>test</th><th>severity</th><th>last result</th></tr></thead><tbody>
${m.tests
  .map((t) => {
    const last = t.last
      ? `<span class="status-${t.last.status === 'fail' && t.severity === 'warn' ? 'warn' : escapeHtml(t.last.status)}">${escapeHtml(t.last.status)}</span>${t.last.failures > 0 ? ` (${t.last.failures} rows)` : ''} <span class="muted">${escapeHtml(t.last.at)}</span>`
      : '<span class="muted">not run yet</span>';
    return `<tr><td><code>${escapeHtml(t.label)}</code></td><td>${t.severity}</td><td>${last}</td></tr>`;
  })
  .join('\n')}
</tbody></table>`;
  const overrides = m.overrides
    .map(
      (o) =>
        `<h2>On ${escapeHtml(o.dialect)}: ${escapeHtml(o.file)}</h2>\n<pre><code>${escapeHtml(o.sql)}</code></pre>`,
    )
    .join('\n');
  return page(
    m.name,
    '../',
    `<h1>${escapeHtml(m.schema)}.${escapeHtml(m.name)}</h1>
<p class="meta">${m.materialized} · ${escapeHtml(m.file)}${m.origin === 'user' ? ' (your models folder)' : ''} · last build: ${buildCell(m)}</p>
${m.description ? `<p>${escapeHtml(m.description)}</p>` : ''}
<p>Reads: ${m.upstream.length === 0 ? '<span class="muted">CRM raw tables only</span>' : m.upstream.map(link).join(', ')}<br>
Read by: ${m.downstream.length === 0 ? '<span class="muted">no model</span>' : m.downstream.map(link).join(', ')}${syncs.length > 0 ? `<br>\nPushed back to the CRMs by: ${syncs.join(', ')}` : ''}</p>
<h2>Columns</h2>
<table><thead><tr><th>column</th><th>type</th><th>description</th></tr></thead><tbody>
${columns}
</tbody></table>
<h2>Data tests</h2>
${tests}
<h2>Lineage</h2>
<div class="graph">
${lineageSvg(layout, (name) => `${name}.html`, m.name)}
</div>
<h2>SQL</h2>
<pre><code>${escapeHtml(m.sql)}</code></pre>
${overrides}`,
  );
}

function buildCell(m: DocModel): string {
  if (!m.lastBuild) return '<span class="muted">never built</span>';
  const rows = m.lastBuild.rows === null ? 'view' : `${m.lastBuild.rows.toLocaleString('en-US')} rows`;
  return `${rows}, ${m.lastBuild.seconds.toFixed(2)} s, ${escapeHtml(m.lastBuild.at)}`;
}

function testsCell(m: DocModel): string {
  if (m.tests.length === 0) return '<span class="muted">none</span>';
  const ran = m.tests.filter((t) => t.last !== null);
  const failing = ran.filter((t) => t.last?.status !== 'pass').length;
  if (ran.length === 0) return `${m.tests.length}, not run yet`;
  return failing === 0
    ? `<span class="status-pass">${ran.length} passed</span>`
    : `<span class="status-fail">${failing} of ${ran.length} failing</span>`;
}
