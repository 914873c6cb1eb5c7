/**
 * The command queue (SMMUv3 spec, "Command queue" and "Command errors"):
 * 16-byte commands at CMDQ_BASE + 16 * index, consumed up to CMDQ_PROD.
 * An entry the SMMU cannot execute stops the queue at that entry with
 * CMDQ_CONS.ERR = CERROR_ILL (1) and toggles GERROR.CMDQ_ERR; nothing after
 * it runs until software fixes the entry and acknowledges by making
 * GERRORN.CMDQ_ERR equal GERROR.CMDQ_ERR.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { issue, issueSync, probe, reg, write64, writeReg, writeSte } from './helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

const OP_CFGI_STE = 0x03n;
const OP_SYNC = 0x46n;

interface Cmdq { readonly base: bigint; readonly log2: number }

function cmdq(e: Engine): Cmdq {
  const b = reg(e, 'CMDQ_BASE');
  return { base: b & 0x000f_ffff_ffff_ffe0n, log2: Number(b & 0x1fn) };
}

/** Writes a raw command at queue pointer `ptr` (index and wrap bit), as a driver fills an entry. */
function put(e: Engine, q: Cmdq, ptr: number, q0: bigint, q1 = 0n): void {
  const at = q.base + BigInt((ptr & ((1 << q.log2) - 1)) * 16);
  write64(e, at, q0);
  write64(e, at + 8n, q1);
}

const consRd = (e: Engine) => Number(reg(e, 'CMDQ_CONS') & 0xfffffn);
const consErr = (e: Engine) => Number((reg(e, 'CMDQ_CONS') >> 24n) & 0x7fn);
const gerrorCmdq = (e: Engine) => Number(reg(e, 'GERROR') & 1n);

/** SID 8 bypasses, its STE is cached, then rewritten to abort: only a CFGI_STE makes the SMMU see it. */
function staleStream(): Engine {
  const e = probe();
  writeSte(e, 8, { V: 1n, Config: 0b100n });
  observe(e, 8, 0x1000n);
  writeSte(e, 8, { V: 1n, Config: 0n });
  return e;
}

describe('command queue', () => {
  it('consumes issued commands up to CMDQ_PROD, each 16 bytes at CMDQ_BASE + 16 * index', () => {
    const e = staleStream();
    const q = cmdq(e);
    const prod = Number(reg(e, 'CMDQ_PROD'));
    const issued = issueSync(e, { op: 'CMD_CFGI_STE', fields: { StreamID: 8n, Leaf: 1n } });
    expect(issued.writes.map((w) => w.address)).toEqual([0, 8, 16, 24].map((o) => q.base + BigInt(prod * 16 + o)));
    expect(issued.writes.map((w) => w.value)).toEqual([OP_CFGI_STE | (8n << 32n), 1n, OP_SYNC, 0n]);
    expect(consRd(e)).toBe(prod + 2);
    expect(Number(reg(e, 'CMDQ_PROD'))).toBe(prod + 2);
    expect(observe(e, 8, 0x1000n).outcome.result).toBe('terminated');
  });

  it('stops at an unknown opcode with CERROR_ILL, toggles GERROR.CMDQ_ERR, and runs nothing after it until GERRORN acknowledges', () => {
    const e = staleStream();
    const q = cmdq(e);
    const p = Number(reg(e, 'CMDQ_PROD'));
    expect(consRd(e)).toBe(p);
    put(e, q, p, 0x7fn); // opcode 0x7f: no such command
    put(e, q, p + 1, OP_CFGI_STE | (8n << 32n), 1n);
    put(e, q, p + 2, OP_SYNC);
    writeReg(e, 'CMDQ_PROD', BigInt(p + 3));

    expect(consRd(e)).toBe(p); // CONS points at the bad entry
    expect(consErr(e)).toBe(1); // CERROR_ILL
    expect(gerrorCmdq(e)).toBe(1);
    expect(Number(reg(e, 'GERRORN') & 1n)).toBe(0);
    expect(observe(e, 8, 0x1000n).outcome.result).toBe('bypassed'); // the CFGI_STE behind it did not run

    // More commands do not restart the queue while the error is pending.
    const more = issue(e, [{ op: 'CMD_SYNC' }]);
    expect(more.consumed).toEqual([]);
    expect(consRd(e)).toBe(p);

    // Software replaces the bad entry, then acknowledges: the SMMU resumes at CONS.
    put(e, q, p, OP_SYNC);
    writeReg(e, 'GERRORN', reg(e, 'GERROR'));
    expect(consRd(e)).toBe(p + 4);
    expect(gerrorCmdq(e)).toBe(Number(reg(e, 'GERRORN') & 1n));
    expect(observe(e, 8, 0x1000n).outcome.result).toBe('terminated');
  });

  it('a second error after an acknowledged one toggles GERROR.CMDQ_ERR back to differ from GERRORN again', () => {
    const e = probe();
    const q = cmdq(e);
    let p = Number(reg(e, 'CMDQ_PROD'));
    put(e, q, p, 0xffn);
    writeReg(e, 'CMDQ_PROD', BigInt(p + 1));
    expect(gerrorCmdq(e)).toBe(1);
    put(e, q, p, OP_SYNC);
    writeReg(e, 'GERRORN', 1n);
    p += 1;
    expect(consRd(e)).toBe(p);

    put(e, q, p, 0x00n); // opcode 0 is not a command either
    writeReg(e, 'CMDQ_PROD', BigInt(p + 1));
    expect(consErr(e)).toBe(1);
    expect(gerrorCmdq(e)).toBe(0);
    expect(Number(reg(e, 'GERRORN') & 1n)).toBe(1);
  });

  it('CMD_SYNC with CS = SIG_IRQ writes MSIData to MSIAddress when it completes', () => {
    const e = probe();
    const msi = 0x2800_0040n;
    issue(e, [{ op: 'CMD_SYNC', fields: { CS: 1n, MSIData: 0xcafe_f00dn, MSIAddress: msi } }]);
    expect((e.readMemory64(msi) as bigint) & 0xffff_ffffn).toBe(0xcafe_f00dn);
  });
});
