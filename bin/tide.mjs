#!/usr/bin/env node
// The `tide` binary. TypeScript sources (and the user's pipeline.config.ts) load through tsx, so
// there is no build step between editing a config or a model and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
