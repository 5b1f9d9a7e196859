import { ensureChromium } from './launch-chromium.js';

/** vitest globalSetup: Debian's chromium is there before any browser test starts. */
export default function setup(): void {
  ensureChromium();
}
