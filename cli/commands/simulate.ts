import type { Command } from 'commander';
import { z } from 'zod';
import { connectorFor } from '../../connectors/registry.js';
import { TideError } from '../../core/tide-error.js';
import { commandAction } from '../command-action.js';

const SimulateFlags = z.object({ port: z.coerce.number().int().min(0).max(65535).optional() });

/**
 * `tide simulate`: the configured sources' simulators, standalone, until Ctrl-C. Point a real SDK,
 * curl or a second Tide config at the printed base URLs; drive them through `/_sim/`.
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('start the CRM simulators of the configured sources standalone and print their base URLs')
    .option('-p, --port <port>', 'first port to listen on (default: free ephemeral ports)')
    .action(
      commandAction(async (ctx, rawFlags: unknown) => {
        const parsed = SimulateFlags.safeParse(rawFlags);
        if (!parsed.success) {
          throw new TideError('config_invalid', '--port must be a port number from 0 to 65535', {
            hint: 'e.g. tide simulate --port 4010 (0 or none: free ports)',
          });
        }
        const flags = parsed.data;
        const config = await ctx.config();
        const started = [];
        let port = flags.port;
        for (const source of config.sources) {
          const options = source.simulator ?? { seed: 42, scale: 5_000, mutationsPerStart: 0 };
          const sim = await connectorFor(source.kind).startSimulator(
            source,
            port === undefined || port === 0 ? options : { ...options, port: port++ },
          );
          started.push(sim);
          const info = {
            source: source.name,
            kind: source.kind,
            baseUrl: sim.baseUrl,
            variables: Object.keys(sim.env),
          };
          if (ctx.options.json) {
            // Simulator credentials, not secrets: shown as the exports to paste (a field named
            // like a token would be redacted).
            ctx.log.info('simulator started', {
              ...info,
              exports: Object.entries(sim.env).map(([name, value]) => `${name}=${value}`),
            });
          } else {
            ctx.print(`${source.name} (${source.kind}): ${sim.baseUrl}`);
            for (const [name, value] of Object.entries(sim.env))
              ctx.print(`  export ${name}=${value}   # simulator credential, not a secret`);
          }
        }
        if (!ctx.options.json) ctx.print('control API: <baseUrl>/_sim/ (see README). Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await Promise.all(started.map((s) => s.close()));
        ctx.invocation.count({ simulators: started.length });
        return 0;
      }),
    );
}
