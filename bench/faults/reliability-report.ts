import type { ScenarioResult } from './scenario.js';

export interface ReportContext {
  readonly command: string;
  readonly date: string;
  readonly kinds: readonly string[];
  readonly scale: number;
  readonly seed: number;
  /** Load average (1, 5, 15 min) at the start and at the end. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly seconds: number;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** RELIABILITY.md: every scenario of issue 16 with its figures, and how they were produced. */
export function reliabilityMarkdown(results: readonly ScenarioResult[], context: ReportContext): string {
  const covered = results.filter((r) => r.uncovered === undefined);
  const failing = covered.filter((r) => r.passed < r.runs || r.lost > 0 || r.duplicated > 0);
  const lost = covered.reduce((n, r) => n + r.lost, 0);
  const duplicated = covered.reduce((n, r) => n + r.duplicated, 0);
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    '# Reliability',
    '',
    `Written by \`${context.command}\` (bench/faults/run-faults.ts) on ${context.date}, against the`,
    `simulators of every connector in the registry (${context.kinds.join(', ')}; scale ${context.scale}, seed`,
    `${context.seed}), with Tide run as an operator runs it: the CLI, killed with SIGKILL where a`,
    "scenario says so. Every scenario is compared with a clean run or checked against the CRM's own",
    'record of what it received. The small, fast case of each scenario runs in `npm test` (test/faults/,',
    'test/extract/, test/load/, test/reverse/, test/warehouse/).',
    '',
    `Load average (1 / 5 / 15 min): ${load(context.loadBefore)} at the start, ${load(context.loadAfter)} at the`,
    `end; the machine is shared by up to 8 engineers, so the seconds below are noisy (${Math.round(context.seconds)} s in all).`,
    '',
    `**Result: ${covered.length - failing.length} of ${covered.length} scenario lines passed; ${lost} records lost, ${duplicated} duplicated.**`,
    '',
    '| Scenario | CRM | Runs | Passed | Lost | Duplicated | Exit codes | What Tide said / what was checked | Seconds |',
    '| --- | --- | --: | --: | --: | --: | --- | --- | --: |',
    ...covered.map(
      (r) =>
        `| ${cell(r.scenario)} | ${r.crm} | ${r.runs} | ${r.passed} | ${r.lost} | ${r.duplicated} | ${cell(r.exits)} | ${cell(r.message.slice(0, 400))} | ${r.seconds} |`,
    ),
    '',
  ];
  const uncovered = results.filter((r) => r.uncovered !== undefined);
  if (uncovered.length > 0) {
    lines.push('Not covered:', '');
    for (const r of uncovered) lines.push(`- ${r.scenario} on ${r.crm}: ${r.uncovered}`);
    lines.push('');
  }
  lines.push(
    '## Reading the table',
    '',
    '- **Lost / duplicated** (extract scenarios): after the faulted run and a rerun without faults, records the',
    '  clean run has that this warehouse lacks, and rows beyond one per id. "Passed" also requires equal row',
    '  counts, distinct ids, an equal content hash per raw table (every column but `_tide_loaded_at` and',
    '  `_tide_load_id`) and equal cursors.',
    '- **Exit codes**: `first→rerun` (`killed` for SIGKILL). Exit 1 is allowed where the fault cannot be',
    '  ridden out (a page that is not JSON, a token the CRM refuses): the message must say what happened, and',
    '  the rerun must finish with nothing lost.',
    '- **Reverse** rounds: lost = records that never reached the CRM; duplicated = records sent again after',
    "  their confirmation was logged. The CRM's per-record write journal (`GET /_sim/writes`) is checked",
    '  against tide.push_log: every write the CRM received must have its intent line (`sending`).',
    "- **Steady run**: the simulators enforce the vendors' limits; the line counts the 429s Tide drew by itself",
    '  (passed when at most 1 % of calls).',
    '',
  );
  return lines.join('\n');
}
