/**
 * The built page's Content-Security-Policy forbids eval. zod 4 probes for
 * it with `new Function` on first use, and although it catches the refusal,
 * Chromium still reports a CSP violation. jitless mode skips the probe.
 * Imported first by both entry points (the page and the worker).
 */
import * as z from 'zod';

z.config({ jitless: true });
