/**
 * Imported first by both entry points (the page and the worker) so zod is
 * jitless before anything else runs; src/scenario/zod.ts does the same for
 * every schema module, whichever chunk the bundler puts it in.
 */
import '../scenario/zod.ts';
