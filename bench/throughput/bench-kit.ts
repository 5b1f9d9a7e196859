import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * What the throughput benchmarks share: a simulator in its own process, each contender (Tide, the
 * naive SDK loader, DuckDB's read_json) in a child process of its own so its CPU-seconds and peak RSS
 * are its alone, the simulator's request counts, and the BENCHMARKS.md section each bench rewrites.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');

const Started = z.object({ baseUrl: z.string(), token: z.string(), pid: z.number() });
export type RunningSim = z.output<typeof Started> & { stop(): void };

export async function startHubspotSim(flags: readonly string[]): Promise<RunningSim> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/hubspot/bin.ts', ...flags], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { ...Started.parse(JSON.parse(line)), stop: () => child.kill('SIGTERM') };
}

/**
 * CPU-seconds the simulator's process has used so far (Linux /proc; null elsewhere). On a 2-core
 * machine the simulator serving pages competes with the contender for the same cores, so what it
 * spends bounds every contender's wall time.
 */
export function simCpuSeconds(sim: RunningSim): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${sim.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A contender's own account of its run (every child prints one JSON line of this shape last). */
export const ChildReport = z
  .object({
    records: z.number(),
    seconds: z.number(),
    cpuSeconds: z.number(),
    peakRssMiB: z.number(),
  })
  .loose();
export type ChildReport = z.output<typeof ChildReport>;

/** Runs bench/throughput/<script> with one JSON argument; returns its last stdout line, parsed. */
export async function runChild(script: string, args: unknown): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), JSON.stringify(args)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.trim() !== '') last = line;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited ${code}`);
  return ChildReport.parse(JSON.parse(last));
}

/** The child's own figures, printed as its last line. */
export function report(started: number, records: number, extra: Record<string, unknown> = {}): void {
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({
      records,
      seconds: +((performance.now() - started) / 1000).toFixed(2),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      ...extra,
    })}\n`,
  );
}

const Stats = z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }).loose();

export async function simStats(sim: RunningSim): Promise<{ requests: number; tooMany: number }> {
  const stats = Stats.parse(await (await fetch(`${sim.baseUrl}/_sim/stats`)).json());
  return { requests: stats.total, tooMany: stats.byStatus['429'] ?? 0 };
}

export async function simControl(
  sim: RunningSim,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sim.baseUrl}/_sim/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`/_sim/${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

export function load1(): number {
  return +loadavg()[0]!.toFixed(1);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replaces the block between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->` in BENCHMARKS.md
 * (appending it under the throughput heading the first time), so each bench regenerates its figures.
 */
export function writeSection(name: string, markdown: string): void {
  const path = join(repoRoot, 'BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + close.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
