import { accessSync, constants, statSync } from 'node:fs';

// Where the browser tests look for a Chromium build, in order. Debian's
// `chromium` package is the one CI installs; an installed Google Chrome is a
// fallback for developer machines.
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
];

// Environment variables that name a browser binary, most specific first.
export const CHROMIUM_ENV_VARS: readonly string[] = ['CHROMIUM_PATH', 'CHROME_PATH'];

export interface ChromiumLookup {
  found: string | undefined;
  // Every place that was looked at and why it was not used, for the error message.
  tried: string[];
}

function isExecutableFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'not a file';
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'not executable' : String(code ?? error);
  }
}

/**
 * Finds a Chromium binary: CHROMIUM_PATH, then CHROME_PATH, then the system
 * paths. E2E_CHROMIUM_LOOKUP=env-only skips the system paths, so the
 * "no browser found" path can be exercised on a machine that has one.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const tried: string[] = [];
  for (const name of CHROMIUM_ENV_VARS) {
    const value = env[name];
    if (value === undefined || value === '') {
      tried.push(`$${name} (not set)`);
      continue;
    }
    const problem = isExecutableFile(value);
    if (problem === undefined) return { found: value, tried };
    tried.push(`$${name}=${value} (${problem})`);
  }
  const mode = env['E2E_CHROMIUM_LOOKUP'];
  if (mode === 'env-only') {
    tried.push('system paths (skipped: E2E_CHROMIUM_LOOKUP=env-only)');
    return { found: undefined, tried };
  }
  for (const path of SYSTEM_CHROMIUM_PATHS) {
    const problem = isExecutableFile(path);
    if (problem === undefined) return { found: path, tried };
    tried.push(`${path} (${problem})`);
  }
  return { found: undefined, tried };
}

export function noChromiumMessage(lookup: ChromiumLookup): string {
  return [
    'no Chromium (or Chrome) binary was found.',
    'Tried, in order:',
    ...lookup.tried.map((entry) => `  - ${entry}`),
    'Fix: install Debian\'s chromium with `apt-get install -y chromium`,',
    '     or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  ].join('\n');
}
