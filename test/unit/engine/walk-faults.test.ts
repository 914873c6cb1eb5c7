import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import { map, newTable, only, RO, RW, walk } from './helpers.ts';

const IOVA = 0x40_0000_0000n;
const PA = 0x8_8000_0000n;

/** The last descriptor a walk of `iova` reads, so a test can corrupt it. */
function leafAddress(e: Engine, iova: bigint): bigint {
  const steps = walk(e, iova).steps;
  return (steps.at(-1) as { descriptorAddress: bigint }).descriptorAddress;
}

function poke(e: Engine, address: bigint, value: bigint): void {
  only(e.apply({ kind: 'memory.write', address, value, size: 8 }), 'memory.written');
}

describe('translation faults', () => {
  it('an empty table faults at the start level with the invalid descriptor shown', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    const r = walk(e, IOVA);
    expect(r.fault).toMatchObject({ type: 'translation', level: 0 });
    expect(r.fault?.reason).toMatch(/bit\[0\] = 0/);
    expect(r.steps).toHaveLength(1);
  });

  it('bits[1:0] = 0b01 at level 3 is reserved', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n);
    const leaf = leafAddress(e, IOVA);
    poke(e, leaf, (e.readMemory64(leaf) as bigint) & ~2n);
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'translation', level: 3, reason: expect.stringMatching(/reserved/) });
  });

  it('a block descriptor at level 0 (4KB granule) is not permitted', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    const root = e.tableConfig('t')?.TTB0 as bigint;
    poke(e, root, PA | 0x401n); // block encoding with AF = 1 in L0 entry 0, which IOVA indexes
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'translation', level: 0, reason: expect.stringMatching(/block/) });
  });

  it('an input address with bits above the input size set is outside both regions', () => {
    const e = newTable({ TG0: 0, T0SZ: 25 }); // 39-bit input
    map(e, 0x1000n, PA, 0x1000n);
    expect(walk(e, 0x1000n).output).toBe(PA);
    expect(walk(e, (1n << 39n) | 0x1000n).fault).toMatchObject({ type: 'translation', level: 0, reason: expect.stringMatching(/outside/) });
  });

  it('top-byte ignore (TBI bit 0) lets a tagged pointer through TTB0', () => {
    const tagged = (0x5an << 56n) | 0x1000n;
    const plain = newTable({ TG0: 0, T0SZ: 16 });
    map(plain, 0x1000n, PA, 0x1000n);
    expect(walk(plain, tagged).fault?.type).toBe('translation');
    const tbi = newTable({ TG0: 0, T0SZ: 16, TBI: 1 });
    map(tbi, 0x1000n, PA, 0x1000n);
    expect(walk(tbi, tagged).output).toBe(PA);
  });

  it('an address in the TTB1 region (VA[55] = 1) faults while EPD1 = 1', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    expect(walk(e, 0xffff_8000_0000_1000n).fault).toMatchObject({ type: 'translation', level: 0, reason: expect.stringMatching(/EPD1/) });
  });
});

describe('access flag faults', () => {
  it('AF = 0 faults unless AFFD = 1', () => {
    for (const AFFD of [false, true]) {
      const e = newTable({ TG0: 0, T0SZ: 16, AFFD });
      map(e, IOVA, PA, 0x1000n);
      const leaf = leafAddress(e, IOVA);
      poke(e, leaf, (e.readMemory64(leaf) as bigint) & ~(1n << 10n));
      const r = walk(e, IOVA);
      if (AFFD) expect(r.output).toBe(PA);
      else expect(r.fault).toMatchObject({ type: 'accessFlag', level: 3 });
    }
  });

  it('takes priority over a permission fault', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n, RO);
    const leaf = leafAddress(e, IOVA);
    poke(e, leaf, (e.readMemory64(leaf) as bigint) & ~(1n << 10n));
    expect(walk(e, IOVA, 'write').fault?.type).toBe('accessFlag');
  });
});

describe('permission faults', () => {
  it('a write to a read-only page (AP[2] = 1) faults at level 3; a read succeeds', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n, RO);
    expect(walk(e, IOVA + 8n, 'read').output).toBe(PA + 8n);
    expect(walk(e, IOVA + 8n, 'write').fault).toMatchObject({ type: 'permission', level: 3, reason: expect.stringMatching(/AP\[2\] = 1/) });
  });

  it('a write to a read-only block faults at the block level', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x20_0000n, RO);
    expect(walk(e, IOVA + 0x1000n, 'write').fault).toMatchObject({ type: 'permission', level: 2 });
  });

  it('an unprivileged access to a privileged-only mapping (AP[1] = 0) faults', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n, RW);
    map(e, IOVA + 0x1000n, PA + 0x1000n, 0x1000n, { ...RW, priv: false });
    expect(walk(e, IOVA, 'read', false).fault).toMatchObject({ type: 'permission', reason: expect.stringMatching(/AP\[1\] = 0/) });
    expect(walk(e, IOVA + 0x1000n, 'read', false).output).toBe(PA + 0x1000n);
  });

  it('execute needs the mapping to clear PXN (privileged) or UXN (unprivileged)', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n, RW); // no exec: Linux sets both XN bits
    map(e, IOVA + 0x1000n, PA + 0x1000n, 0x1000n, { read: true, write: false, exec: true, priv: false });
    expect(walk(e, IOVA, 'exec').fault?.reason).toMatch(/PXN = 1/);
    expect(walk(e, IOVA, 'exec', false).fault?.reason).toMatch(/AP\[1\] = 0/);
    expect(walk(e, IOVA + 0x1000n, 'exec').output).toBe(PA + 0x1000n);
    expect(walk(e, IOVA + 0x1000n, 'exec', false).output).toBe(PA + 0x1000n);
  });

  it('privileged execute from memory that unprivileged accesses may write is forbidden', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n, { read: true, write: true, exec: true, priv: false });
    expect(walk(e, IOVA, 'exec', false).output).toBe(PA);
    expect(walk(e, IOVA, 'exec', true).fault?.reason).toMatch(/writable by unprivileged/);
  });

  it('APTable[1] in a table descriptor forbids writes below it, unless HAD0', () => {
    for (const HAD0 of [false, true]) {
      const e = newTable({ TG0: 0, T0SZ: 16 });
      if (HAD0) {
        const cfg = e.tableConfig('t');
        only(e.apply({ kind: 'pgtable.create', name: 'had', config: { ...cfg, TG0: 0, T0SZ: 16, HAD0: true } }), 'pgtable.created');
      }
      map(e, IOVA, PA, 0x1000n);
      const l1 = walk(e, IOVA).steps[1]?.descriptorAddress as bigint;
      poke(e, l1, (e.readMemory64(l1) as bigint) | (1n << 62n));
      expect(walk(e, IOVA, 'read').output).toBe(PA);
      const r = walk(e, IOVA, 'write', true, HAD0 ? 'had' : 't');
      if (HAD0) expect(r.output).toBe(PA);
      else expect(r.fault).toMatchObject({ type: 'permission', level: 3, reason: expect.stringMatching(/APTable\[1\]/) });
    }
  });
});

describe('address size faults', () => {
  it('an output address beyond IPS faults at the leaf level', () => {
    const e = newTable({ TG0: 0, T0SZ: 16, IPS: 2 }); // 40-bit output
    map(e, IOVA, 0xff_ffff_f000n, 0x1000n);
    expect(walk(e, IOVA).output).toBe(0xff_ffff_f000n);
    const leaf = leafAddress(e, IOVA);
    poke(e, leaf, (e.readMemory64(leaf) as bigint) | (1n << 40n));
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'addressSize', level: 3 });
  });

  it('a table address beyond IPS faults at the level of the table descriptor', () => {
    const e = newTable({ TG0: 0, T0SZ: 16, IPS: 0 }); // 32-bit output
    map(e, IOVA, 0x8000_0000n, 0x1000n);
    const l1 = walk(e, IOVA).steps[1]?.descriptorAddress as bigint;
    poke(e, l1, 0x1_0000_0003n);
    expect(walk(e, IOVA).fault).toMatchObject({ type: 'addressSize', level: 1 });
  });

  it('the IPS limit refuses a map whose output lies beyond it', () => {
    const e = newTable({ TG0: 0, T0SZ: 16, IPS: 0 });
    const r = e.apply({ kind: 'pgtable.map', table: 't', iova: IOVA, paddr: 0x1_0000_0000n, size: 0x1000n, prot: RW });
    expect(only(r, 'command.rejected').message).toMatch(/^ERANGE/);
  });
});

describe('external aborts on the walk', () => {
  it('a table descriptor pointing at memory that does not exist aborts at the next level', () => {
    const e = newTable({ TG0: 0, T0SZ: 16 });
    map(e, IOVA, PA, 0x1000n);
    const l2 = walk(e, IOVA).steps[2]?.descriptorAddress as bigint;
    poke(e, l2, 0x7_7700_0003n); // a table at 0x7_7700_0000, which nothing ever wrote
    const r = walk(e, IOVA);
    expect(r.fault).toMatchObject({ type: 'externalAbort', level: 3, address: 0x7_7700_0000n });
    expect(r.steps.at(-1)?.descriptor).toBeUndefined();
  });
});
