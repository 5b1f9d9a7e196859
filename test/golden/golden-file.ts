import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

/**
 * Golden files: the exact SQL Tide sends a warehouse, committed next to the tests so every change to
 * it is a reviewable diff. One command rewrites all of them (it only sets TIDE_UPDATE_GOLDEN=1 and
 * runs the tests whose path contains "golden"); without it, a missing, changed or orphaned golden
 * file fails and says to run it.
 */
export const REGENERATE_GOLDEN = 'npm run golden';

const UPDATE = process.env['TIDE_UPDATE_GOLDEN'] === '1';
const ROOT = join(import.meta.dirname, '..', '..');

function shown(path: string): string {
  return relative(ROOT, path);
}

/** `actual` must equal the file's text; regenerating writes it instead. */
export function expectGolden(actual: string, path: string, update = UPDATE): void {
  if (update) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== actual) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
    }
    return;
  }
  if (!existsSync(path)) {
    throw new Error(
      `golden file ${shown(path)} is missing (a new model or statement?): run \`${REGENERATE_GOLDEN}\`, ` +
        'review the new file and commit it',
    );
  }
  expect(
    actual,
    `${shown(path)} differs from what Tide now generates: if the change is intended, run ` +
      `\`${REGENERATE_GOLDEN}\` and review the diff`,
  ).toBe(readFileSync(path, 'utf8'));
}

/**
 * The golden files of `dir` (with this extension) must be exactly `names`: a file whose model or
 * statement no longer exists fails (regenerating deletes it), so stale SQL never looks pinned.
 */
export function expectNoStrayGoldens(
  dir: string,
  names: ReadonlySet<string>,
  extension = '.sql',
  update = UPDATE,
): void {
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(extension)) : [];
  const stray = present.filter((f) => !names.has(basename(f, extension)));
  if (update) {
    for (const file of stray) rmSync(join(dir, file));
    return;
  }
  if (stray.length > 0) {
    throw new Error(
      `golden files without a model or statement: ${stray.map((f) => shown(join(dir, f))).join(', ')}; ` +
        `run \`${REGENERATE_GOLDEN}\` to delete them`,
    );
  }
}
