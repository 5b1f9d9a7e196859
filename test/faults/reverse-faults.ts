import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import demo from '../../pipeline.config.js';
import { tide } from '../cli/cli-helpers.js';
import type { SimulatedSource } from './simulated-sources.js';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * Reverse ETL under faults, for any connector: the demo's sync into that CRM, reading from the raw
 * table of the object it writes (so no models are needed), with a score that changes with `salt`.
 * Used by test/faults (one kill) and bench/faults (ten kills per CRM).
 */
export function reverseSync(simulated: SimulatedSource, salt: number, rows = 250): Record<string, unknown> {
  const sync = demo.syncs?.find((s) => s.to.crm === simulated.config.name);
  if (sync === undefined) {
    throw new Error(
      `pipeline.config.ts has no sync into ${simulated.config.name}: add the connector's demo sync so the fault cases cover it`,
    );
  }
  const table = `raw.${simulated.config.name}__${sync.to.object.toLowerCase()}`;
  const [valueColumn] = Object.keys(sync.fields);
  return {
    ...sync,
    name: `faults_${simulated.config.name}`,
    from: {
      sql: `select _tide_id as ${sync.match.column}, (length(_tide_id) * 7 + ${salt}) % 97 as ${valueColumn} from ${table} where not _tide_deleted order by _tide_id limit ${rows}`,
    },
  };
}

/** The stream reverseSync reads: the object the demo sync writes. */
export function reverseStream(simulated: SimulatedSource): string {
  const sync = demo.syncs?.find((s) => s.to.crm === simulated.config.name);
  return sync?.to.object ?? simulated.firstStream;
}

/**
 * Runs `tide <args>` in a child process and kills it with SIGKILL once `when` says so (polled), or
 * lets it finish. Resolves with whether it was killed.
 */
export async function runKilledWhen(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  when: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<{ killed: boolean; code: number | null }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/tide.mjs'), ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  let exit: { code: number | null } | null = null;
  const exited = new Promise<void>((done) =>
    child.on('exit', (code) => {
      exit = { code };
      done();
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (exit === null) {
    if (await when()) {
      child.kill('SIGKILL');
      await exited;
      return { killed: true, code: null };
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`tide ${args.join(' ')} did not reach its kill point within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  return { killed: false, code: (exit as { code: number | null }).code };
}

export interface WriteAccounting {
  /** Write requests per record the CRM received (the simulator's journal), summed. */
  readonly writesReceived: number;
  /** Records the CRM received more writes for than push_log has intent lines: unlogged writes. */
  readonly unlogged: readonly string[];
  /** Intent lines with no answer line (after a rerun: none). */
  readonly openIntents: number;
  /** Intent lines that say they are a resend of a stopped run's unanswered write. */
  readonly resends: number;
  /**
   * Records sent again after the CRM's confirmation was logged (values unchanged between runs in the
   * fault cases, so any such resend is a write the log failed to prevent).
   */
  readonly confirmedButResent: readonly string[];
}

interface LogLine {
  readonly run_id: string;
  readonly record_key: string;
  readonly status: string;
  readonly reason: string | null;
  readonly call_id: string | null;
}

/** Every write the simulator received, checked against tide.push_log (read through `tide sql`). */
export async function accountWrites(
  simulated: SimulatedSource,
  file: string,
  sync: string,
  /** Only log lines from this ISO time on (the simulator's journal was reset then too). */
  since = '1970-01-01T00:00:00.000Z',
): Promise<WriteAccounting> {
  const writes = (await simulated.control('GET', '/_sim/writes')) as Record<string, number>;
  const run = await tide(
    'sql',
    '--config',
    file,
    '--format',
    'json',
    `select run_id, record_key, status, reason, call_id from tide.push_log
     where sync = '${sync}' and logged_at >= '${since}' order by logged_at`,
  );
  if (run.code !== 0) throw new Error(`reading tide.push_log failed: ${run.stderr}`);
  const lines = JSON.parse(run.stdout) as LogLine[];
  const intents = new Map<string, number>();
  const answered = new Set<string>();
  const confirmed = new Set<string>();
  const confirmedButResent = new Set<string>();
  // In log order: a record sent again after the CRM's confirmation of the same values was logged.
  for (const line of lines) {
    if (line.status === 'sending') {
      intents.set(line.record_key, (intents.get(line.record_key) ?? 0) + 1);
      if (confirmed.has(line.record_key)) confirmedButResent.add(line.record_key);
    } else if (line.call_id !== null) answered.add(`${line.call_id}\u0000${line.record_key}`);
    if (line.status === 'written') confirmed.add(line.record_key);
  }
  const open = lines.filter(
    (l) => l.status === 'sending' && !answered.has(`${l.call_id}\u0000${l.record_key}`),
  ).length;
  return {
    writesReceived: Object.values(writes).reduce((a, b) => a + b, 0),
    unlogged: Object.entries(writes)
      .filter(([id, n]) => n > (intents.get(id) ?? 0))
      .map(([id]) => id),
    openIntents: open,
    resends: lines.filter((l) => l.status === 'sending' && (l.reason ?? '').startsWith('resend:')).length,
    confirmedButResent: [...confirmedButResent],
  };
}
