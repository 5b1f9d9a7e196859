import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commonSimulatorFlags,
  countFlag,
  readSimulatorFlags,
} from '../../../simulators/kit/simulator-flags.js';

const flags = { ...commonSimulatorFlags, apiToken: z.string().min(1), dailyTokenBudget: countFlag };

describe('readSimulatorFlags', () => {
  it('reads --kebab-case flags and PREFIX_SNAKE_CASE variables; a flag wins over its variable', () => {
    const options = readSimulatorFlags(
      flags,
      'PD_SIM',
      ['--scale=600', '--api-token=abc', '--daily-token-budget=0'],
      { PD_SIM_SCALE: '5', PD_SIM_MUTATIONS_PER_START: '7', PD_SIM_SEED: '9', OTHER_SCALE: '1' },
    );
    expect(options).toEqual({
      scale: 600,
      apiToken: 'abc',
      dailyTokenBudget: 0,
      mutationsPerStart: 7,
      seed: 9,
    });
  });

  it('leaves options not given to the simulator defaults', () => {
    expect(readSimulatorFlags(flags, 'PD_SIM', [], {})).toEqual({});
  });

  it('rejects an unknown flag, listing the known ones, and a value of the wrong kind', () => {
    expect(() => readSimulatorFlags(flags, 'PD_SIM', ['--burst=3'], {})).toThrow(
      /unknown argument --burst=3; use --seed=…, --scale=…, --mutations-per-start=…, --port=…, --api-token=…, --daily-token-budget=…/,
    );
    expect(() => readSimulatorFlags(flags, 'PD_SIM', ['--scale'], {})).toThrow(/unknown argument --scale/);
    expect(() => readSimulatorFlags(flags, 'PD_SIM', ['--scale=-4'], {})).toThrow();
    expect(() => readSimulatorFlags(flags, 'PD_SIM', [], { PD_SIM_SEED: 'x' })).toThrow();
  });
});
