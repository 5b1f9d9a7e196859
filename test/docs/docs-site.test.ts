import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/tide-error.js';
import { type LaunchedChromium, launchChromium } from '../browser/launch-chromium.js';
import { tide } from '../cli/cli-helpers.js';
import { type BuiltWarehouse, builtWarehouse } from '../models/built-warehouse.js';
import { bundledProject } from '../models/model-fixture.js';

const SYNC = {
  name: 'scores_to_hubspot',
  from: 'analytics.customer_scores',
  to: { crm: 'hubspot', object: 'contacts' },
  match: { by: 'id', column: 'hubspot_contact_id' },
  fields: { score: 'tide_score' },
};

describe('tide docs: a static site of the models, checked in headless Chromium', () => {
  let built: BuiltWarehouse;
  let site: string;
  let browser: LaunchedChromium;
  beforeAll(async () => {
    built = await builtWarehouse({ syncs: [SYNC] });
    // The data tests' results are part of the docs: run them once.
    expect((await tide('models', 'test', '--config', built.config)).code).toBe(ExitCode.ok);
    site = join(built.dir, 'site');
    const run = await tide('docs', '--out', site, '--config', built.config);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain(`open ${site}/index.html`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads every page without console errors, and every link resolves to a page of the site', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`${page.url()}: ${r.url()} ${r.failure()?.errorText}`));
    const start = pathToFileURL(join(site, 'index.html')).href;
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const url = queue.shift()!;
      await page.goto(url);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of hrefs) {
        // HTML and SVG links alike, resolved the way the browser resolves them.
        const target = new URL(href, url).href.split('#')[0]!;
        expect(target.startsWith('file://'), `${url} links outside the site: ${href}`).toBe(true);
        expect(existsSync(fileURLToPath(target)), `${url} → ${href}`).toBe(true);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    // index + one page per model, each reached by a link.
    expect(seen.size).toBe(1 + bundledProject().models.size);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders the lineage from raw tables through the models to the reverse sync', async () => {
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(site, 'index.html')).href);
    const graph = await page.$eval('svg.lineage', (svg) => {
      const box = svg.getBoundingClientRect();
      const visible = [...svg.querySelectorAll('g.node')].filter((g) => {
        const r = (g as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return r.width > 100 && r.height > 20;
      });
      return {
        width: box.width,
        height: box.height,
        nodes: visible.map((g) => `${g.getAttribute('class')}|${g.getAttribute('data-id')}`),
        edges: svg.querySelectorAll('path.edge').length,
      };
    });
    expect(graph.width).toBeGreaterThan(800);
    expect(graph.height).toBeGreaterThan(300);
    const ids = graph.nodes.map((n) => n.split('|')[1]);
    expect(ids).toContain('raw.hubspot__contacts');
    expect(ids).toContain('raw.salesforce__contact');
    expect(ids).toContain('model:customers');
    expect(ids).toContain('sync:scores_to_hubspot');
    expect(graph.nodes.filter((n) => n.startsWith('node model')).length).toBe(bundledProject().models.size);
    expect(graph.edges).toBeGreaterThan(60);
    // The sync reads customer_scores: an edge from that node into the sync's.
    const html = readFileSync(join(site, 'index.html'), 'utf8');
    expect(html).toContain('data-id="sync:scores_to_hubspot"');
    // Clicking a model in the graph opens its page.
    await page.click('svg.lineage g.node[data-id="model:customer_scores"]');
    await page.waitForURL(/models\/customer_scores\.html$/);
    expect(await page.textContent('h1')).toBe('analytics.customer_scores');
    expect(await page.textContent('main')).toContain(
      'Pushed back to the CRMs by: scores_to_hubspot → hubspot contacts',
    );
    await page.close();
  });

  it("shows a model's SQL, columns with types and descriptions, tests with results, and its last build", async () => {
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(join(site, 'models', 'customers.html')).href);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('table · analytics/customers.sql');
    expect(text).toMatch(/last build: 13 rows, \d+\.\d\d s/);
    expect(text).toContain('Surviving valid email address');
    expect(text).toContain('TIMESTAMP WITH TIME ZONE');
    const tests = await page.$$eval('table:nth-of-type(2) tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.split(' ')[0]).join('')),
    );
    expect(tests).toContain('unique(customer_id)errorpass');
    expect(text).toContain("{{ config(materialized='table') }}");
    expect(resolve(dirname(page.url().replace('file://', '')))).toBe(join(site, 'models'));
    await page.close();
  });
});
