/**
 * Address-bar writes are coalesced: while requests keep coming (someone
 * stepping quickly) nothing is written; once they pause, only the newest
 * request for a key is written; a cancelled one never is.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADDRESS_DELAY_MS, cancelAddressWrite, writeAddressSoon } from '../../../src/app/addressBar.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('writeAddressSoon', () => {
  it('writes only the newest request once requests pause, per key', () => {
    const written: string[] = [];
    for (let step = 1; step <= 5; step++) {
      writeAddressSoon('step', () => written.push(`step ${step}`));
      vi.advanceTimersByTime(ADDRESS_DELAY_MS / 2);
    }
    writeAddressSoon('share', () => written.push('share'));
    expect(written).toEqual([]);
    vi.advanceTimersByTime(ADDRESS_DELAY_MS * 2);
    expect(written).toEqual(['step 5', 'share']);
  });

  it('drops a cancelled write', () => {
    const written: string[] = [];
    writeAddressSoon('share', () => written.push('share'));
    cancelAddressWrite('share');
    vi.advanceTimersByTime(ADDRESS_DELAY_MS * 4);
    expect(written).toEqual([]);
  });
});
