import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, expectNoStrayGoldens } from './golden-file.js';

/** The golden files fail the way the team relies on: missing, changed and orphaned files are errors. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tide-golden-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('golden files', () => {
  it('a missing golden file fails and names the command that writes it', () => {
    expect(() => expectGolden('SELECT 1;\n', join(dir, 'new_model.sql'), false)).toThrow(
      /new_model\.sql is missing.*run `npm run golden`/,
    );
  });

  it('a changed text fails with the regenerate command; the same text passes', async () => {
    await writeFile(join(dir, 'm.sql'), 'SELECT 1;\n');
    expect(() => expectGolden('SELECT 2;\n', join(dir, 'm.sql'), false)).toThrow(/run `npm run golden`/);
    expectGolden('SELECT 1;\n', join(dir, 'm.sql'), false);
  });

  it('regenerating writes the file', async () => {
    expectGolden('SELECT 3;\n', join(dir, 'sub', 'm.sql'), true);
    expect(await readFile(join(dir, 'sub', 'm.sql'), 'utf8')).toBe('SELECT 3;\n');
  });

  it('a golden file without a model fails; regenerating deletes it', async () => {
    await writeFile(join(dir, 'kept.sql'), '');
    await writeFile(join(dir, 'gone.sql'), '');
    expect(() => expectNoStrayGoldens(dir, new Set(['kept']), '.sql', false)).toThrow(/gone\.sql/);
    expectNoStrayGoldens(dir, new Set(['kept']), '.sql', true);
    expectNoStrayGoldens(dir, new Set(['kept']), '.sql', false);
  });
});
