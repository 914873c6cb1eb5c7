import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium, noChromiumMessage } from './find-chromium.ts';
import { startStaticServer } from './static-server.ts';
import './provided.ts';

/**
 * A setup problem the user must fix (no browser, no build) ends the run with
 * a plain message. Thrown from here, Vitest would wrap it in an "Unhandled
 * Error" banner after a misleading "No test files found", so the message is
 * printed and the process exits instead.
 */
function stopWithSetupProblem(message: string): never {
  process.stderr.write(`\nBrowser tests cannot start: ${message}\n\n`);
  process.exit(1);
}

const LOOKUP_MODES = ['all', 'env-only'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mode = process.env['E2E_CHROMIUM_LOOKUP'];
  if (mode !== undefined && mode !== '' && !LOOKUP_MODES.includes(mode)) {
    stopWithSetupProblem(
      `E2E_CHROMIUM_LOOKUP=${mode} is not understood; use one of: ${LOOKUP_MODES.join(', ')} (or leave it unset).`,
    );
  }

  const lookup = findChromium();
  if (lookup.found === undefined) stopWithSetupProblem(noChromiumMessage(lookup));

  // E2E_DIST_DIR lets several people (or helpers) test their own builds side by side without sharing dist/.
  const distDir = resolve(project.config.root, process.env['E2E_DIST_DIR'] || 'dist');
  if (!existsSync(resolve(distDir, 'index.html'))) {
    stopWithSetupProblem(
      `${distDir}/index.html does not exist: the browser tests drive the built app, so run \`npm run build\` first (\`npm run test:browser\` does both).`,
    );
  }

  const server = await startStaticServer(distDir);
  project.provide('e2eBaseUrl', server.url);
  project.provide('e2eChromiumPath', lookup.found);
  return () => server.close();
}
