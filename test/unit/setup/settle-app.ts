/**
 * Component tests that mount the whole App load the editor session and the share
 * codec on their own after the first view. A file whose last test ends while that import is
 * still in flight would have its environment torn down under it (Vitest's
 * EnvironmentTeardownError); every test waits for those loads (src/ui/shell/lazyLoads.ts).
 */
import { afterEach } from 'vitest';
import { lazyLoadsSettled } from '../../../src/ui/shell/lazyLoads.ts';

afterEach(async () => {
  await lazyLoadsSettled();
});
