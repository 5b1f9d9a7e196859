import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const started: ChildProcess[] = [];

// A failed assertion must not leave a simulator serving.
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts a simulator bin as the benchmarks do (stdin and stdout piped) and reads its first line. */
async function startBin(
  bin: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, bin), ...args], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  started.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${bin} exited with ${code} before announcing itself`)));
  });
  return { child, info: JSON.parse(line) as Record<string, unknown> };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('simulator processes', () => {
  it('Pipedrive: announces where it listens, serves, and exits when its parent closes stdin', async () => {
    const { child, info } = await startBin('simulators/pipedrive/bin.ts', [
      '--scale=40',
      '--api-token=pd-test',
      '--burst-limit=5',
    ]);
    expect(info).toMatchObject({ apiToken: 'pd-test', pid: child.pid });
    const res = await fetch(`${String(info.baseUrl)}/api/v2/persons?limit=1`, {
      headers: { 'x-api-token': 'pd-test' },
    });
    expect(res.status).toBe(200);
    // Pipedrive's own 2-second burst limit, through the shared rolling window.
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    child.stdin!.end();
    expect(await exitCode(child)).toBe(0);
  });

  it('HubSpot: takes its limits from flags and variables, and exits on SIGTERM', async () => {
    process.env.HUBSPOT_SIM_TOKEN = 'hs-from-env';
    let started: { child: ChildProcess; info: Record<string, unknown> };
    try {
      started = await startBin('simulators/hubspot/bin.ts', ['--scale=40', '--burst-limit=7']);
    } finally {
      delete process.env.HUBSPOT_SIM_TOKEN;
    }
    const { child, info } = started;
    expect(info).toMatchObject({ token: 'hs-from-env', pid: child.pid });
    const res = await fetch(`${String(info.baseUrl)}/crm/v3/objects/contacts?limit=1`, {
      headers: { authorization: 'Bearer hs-from-env' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('7');
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('Salesforce: takes the same kind of flags, org settings included', async () => {
    const { child, info } = await startBin('simulators/salesforce/bin.ts', [
      '--scale=40',
      '--client-id=sf-id',
      '--client-secret=sf-secret',
      '--daily-api-limit=777',
    ]);
    expect(info).toMatchObject({ clientId: 'sf-id', clientSecret: 'sf-secret', pid: child.pid });
    const token = await fetch(`${String(info.baseUrl)}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sf-id&client_secret=sf-secret',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await fetch(`${String(info.baseUrl)}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/777');
    child.stdin!.end();
    expect(await exitCode(child)).toBe(0);
  });
});
