import { describe, expect, it } from 'vitest';
import { map, newTable, only, RW, walk } from './helpers.ts';

const IOVA = 0x40_0000_0000n;
const PA = 0x8_8000_0000n;
const SZ_4K = 0x1000n;
const SZ_2M = 0x20_0000n;

describe('io-pgtable map', () => {
  it('uses the largest entries that alignment and length allow (iommu_pgsize)', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    // 4KB below a 2MB boundary, then a whole 2MB, then 8KB.
    const start = IOVA + SZ_2M - SZ_4K;
    const m = map(e, start, PA + SZ_2M - SZ_4K, SZ_4K + SZ_2M + 2n * SZ_4K);
    expect(m.entries.map((x) => [x.level, x.size])).toEqual([[3, SZ_4K], [2, SZ_2M], [3, SZ_4K], [3, SZ_4K]]);
  });

  it('falls back to pages when the PA is not block-aligned', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    const m = map(e, IOVA, PA + SZ_4K, SZ_2M);
    expect(m.entries).toHaveLength(512);
    expect(m.entries.every((x) => x.level === 3)).toBe(true);
  });

  it('allocates each intermediate table once and records every descriptor write', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    const first = map(e, IOVA, PA, SZ_4K);
    expect(first.tables.map((t) => t.level)).toEqual([1, 2, 3]);
    expect(first.writes).toHaveLength(4);
    const second = map(e, IOVA + SZ_4K, PA + SZ_4K, SZ_4K);
    expect(second.tables).toEqual([]);
    expect(second.writes).toHaveLength(1);
    expect(second.writes[0]?.old).toBe(0n);
  });

  it('refuses overlapping maps with EEXIST and writes nothing', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA + SZ_4K, PA, SZ_4K);
    const before = walk(e, IOVA + SZ_4K).steps.map((s) => s.descriptor);
    const r = only(e.apply({ kind: 'pgtable.map', table: 't', iova: IOVA, paddr: PA, size: SZ_2M, prot: RW }), 'command.rejected');
    expect(r.message).toMatch(/^EEXIST/);
    expect(walk(e, IOVA).fault?.type).toBe('translation');
    expect(walk(e, IOVA + SZ_4K).steps.map((s) => s.descriptor)).toEqual(before);
  });

  it('rejects misaligned and out-of-range requests with EINVAL / ERANGE', () => {
    const e = newTable({ TG0: 0, T0SZ: 25 });
    const reject = (iova: bigint, paddr: bigint, size: bigint) =>
      only(e.apply({ kind: 'pgtable.map', table: 't', iova, paddr, size, prot: RW }), 'command.rejected');
    expect(reject(0x1001n, PA, SZ_4K).message).toMatch(/^EINVAL/);
    expect(reject(0x1000n, PA + 1n, SZ_4K).field).toBe('paddr');
    expect(reject(0x1000n, PA, 0n).message).toMatch(/^EINVAL/);
    expect(reject(1n << 39n, PA, SZ_4K).message).toMatch(/^ERANGE/);
  });

  it('replaces an empty table with a block, freeing the table', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, SZ_4K);
    only(e.apply({ kind: 'pgtable.unmap', table: 't', iova: IOVA, size: SZ_4K }), 'pgtable.unmapped');
    const m = map(e, IOVA, PA, SZ_2M);
    expect(m.entries).toEqual([{ iova: IOVA, level: 2, size: SZ_2M }]);
    expect(walk(e, IOVA + 0x1234n).output).toBe(PA + 0x1234n);
  });
});

describe('io-pgtable unmap', () => {
  it('clears a page and stops at the first hole, as iommu_unmap does', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 2n * SZ_4K);
    const u = only(e.apply({ kind: 'pgtable.unmap', table: 't', iova: IOVA, size: 4n * SZ_4K }), 'pgtable.unmapped');
    expect(u.unmapped).toBe(2n * SZ_4K);
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'translation', level: 3 });
  });

  it('refuses to unmap part of a block: nothing changes', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, SZ_2M);
    const u = only(e.apply({ kind: 'pgtable.unmap', table: 't', iova: IOVA + SZ_4K, size: SZ_4K }), 'pgtable.unmapped');
    expect(u.unmapped).toBe(0n);
    expect(u.writes).toEqual([]);
    expect(walk(e, IOVA + SZ_4K).output).toBe(PA + SZ_4K);
  });

  it('unmapping a whole block span that holds a table frees the table', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 4n * SZ_4K);
    const u = only(e.apply({ kind: 'pgtable.unmap', table: 't', iova: IOVA, size: SZ_2M }), 'pgtable.unmapped');
    expect(u.unmapped).toBe(SZ_2M);
    expect(u.tablesFreed.map((t) => t.level)).toEqual([3]);
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'translation', level: 2 });
    // The freed table page is reused by the next allocation.
    const again = map(e, IOVA + 0x4000_0000n, PA, SZ_4K);
    expect(again.tables.map((t) => t.address)).toContain(u.tablesFreed[0]?.address);
  });
});
