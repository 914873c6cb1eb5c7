/**
 * The one way this app imports zod. The built page's Content-Security-Policy
 * forbids eval; zod 4 probes for it with `new Function` when it builds its
 * first object schema, and although it catches the refusal, Chromium still
 * reports a CSP violation. Setting jitless here, in the module every schema
 * file imports, runs before any schema is built whatever order the bundler
 * gives the chunks (an entry point's own first import is not enough once
 * schemas live in a shared chunk). Lint forbids importing 'zod' elsewhere.
 */
import * as z from 'zod';

z.config({ jitless: true });

export { z };
