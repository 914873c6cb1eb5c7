import { defineConfig } from 'vitest/config';

// Browser tests: Node drives a real Chromium (playwright-core) against the
// built app in dist/, served by test/e2e/harness/global-setup.ts.
// Run with `npm run test:browser`, which builds first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/harness/global-setup.ts'],
    setupFiles: ['test/e2e/harness/setup-file.ts'],
    // Each file launches its own Chromium; a few in parallel is plenty.
    pool: 'forks',
    maxWorkers: 2,
    // Launching a browser and loading a page is slow on a loaded CI machine;
    // these are limits against hangs, not performance checks.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll's own default (1 s) is shorter than a step or a lazy view can take on a loaded 2-core machine
    // (and the address bar follows a step a moment later by design); a poll is a wait, not a speed check.
    expect: { poll: { timeout: 10_000 } },
  },
});
