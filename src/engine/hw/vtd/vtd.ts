/**
 * A VT-d DMA-remapping unit (DRHD): registers, the root table pointer it
 * latched, its caches, the invalidation queue it consumes and the fault
 * recording registers it fills, all over the simulated memory. It is
 * programmed as the driver programs it: register writes, table writes in
 * memory, descriptors in the invalidation queue.
 */
import { EngineError } from '../../util/assert.ts';
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { PciEndpoints } from '../pci/endpoints.ts';
import { VtdCaches } from './caches.ts';
import { runVtdDma } from './dma.ts';
import type { VtdDmaOutcome, VtdDmaRequest } from './dma-types.ts';
import { clearRecord, cloneFaultLog, newFaultLog, pendingIndex, recordFault, type FaultLogState, type FaultRecord, type RecordOutcome } from './fault-record.ts';
import { capRegister, ecapRegister, validateVtdFeatures, type VtdFeatures } from './features.ts';
import { decodeInvDescriptor, describeInv, type InvDescriptor } from './inv-desc.ts';
import { executeInv, type InvEffect } from './inv-exec.ts';
import { FSTS, GCMD, GSTS, IQA_DW, RTADDR_TTM_SHIFT, WRITABLE, type VtdRegisterName } from './registers.ts';
import type { VtdMode } from './structures-fetch.ts';

export interface ConsumedDescriptor {
  readonly index: number;
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly descriptor?: InvDescriptor;
  readonly summary: string;
  readonly effect?: InvEffect;
  /** Set when the unit stopped on this descriptor (FSTS.IQE). */
  readonly error?: string;
}

interface VtdState {
  regs: Map<VtdRegisterName, bigint>;
  /** The root table pointer and mode latched by the last SRTP; null before any. */
  root: { address: bigint; mode: VtdMode | 'invalid' } | null;
  caches: VtdCaches;
  faults: FaultLogState;
  /** The PCIe functions behind this unit (their PASID / ATS / PRI capability registers). */
  endpoints: PciEndpoints;
}

export class VtdUnit {
  private readonly s: VtdState;

  constructor(readonly mem: PhysicalMemory, readonly features: VtdFeatures, state?: VtdState) {
    validateVtdFeatures(features);
    this.s = state ?? {
      regs: new Map<VtdRegisterName, bigint>([['VER', 0x60n], ['CAP', capRegister(features)], ['ECAP', ecapRegister(features)]]),
      root: null, caches: new VtdCaches(), faults: newFaultLog(features.nfr), endpoints: new PciEndpoints(),
    };
  }

  clone(mem: PhysicalMemory): VtdUnit {
    return new VtdUnit(mem, this.features, { regs: new Map(this.s.regs), root: this.s.root ? { ...this.s.root } : null, caches: this.s.caches.clone(), faults: cloneFaultLog(this.s.faults), endpoints: this.s.endpoints.clone() });
  }

  read(name: VtdRegisterName): bigint {
    if (name === 'FSTS') {
      const pending = pendingIndex(this.s.faults);
      const base = this.s.regs.get('FSTS') ?? 0n;
      return (base & FSTS.IQE) | (this.s.faults.overflow ? FSTS.PFO : 0n) | (pending !== null ? FSTS.PPF | (BigInt(pending) << 8n) : 0n);
    }
    return this.s.regs.get(name) ?? 0n;
  }

  get caches(): VtdCaches {
    return this.s.caches;
  }

  get endpoints(): PciEndpoints {
    return this.s.endpoints;
  }

  get faultRecords(): readonly (FaultRecord | null)[] {
    return this.s.faults.records;
  }

  get enabled(): boolean {
    return (this.read('GSTS') & GSTS.TES) !== 0n;
  }

  get rootTable(): { address: bigint; mode: VtdMode | 'invalid' } | null {
    return this.s.root;
  }

  /** The invalidation queue as IQA describes it: base, descriptor size and number of slots. */
  get queue(): { base: bigint; descBytes: number; slots: number; head: number; tail: number } {
    const iqa = this.read('IQA');
    const descBytes = (iqa & IQA_DW) !== 0n ? 32 : 16;
    const slots = (4096 * 2 ** Number(iqa & 7n)) / descBytes;
    const shift = descBytes === 32 ? 5n : 4n;
    return { base: iqa & ~0xfffn, descBytes, slots, head: Number(this.read('IQH') >> shift), tail: Number(this.read('IQT') >> shift) };
  }

  /** A register write, with the side effects the hardware gives it; returns the descriptors processed (IQT writes). */
  write(name: VtdRegisterName, value: bigint): ConsumedDescriptor[] {
    if (!WRITABLE.includes(name)) throw new EngineError(`${name} is read-only`, 'register');
    const regs = this.s.regs;
    switch (name) {
      case 'GCMD': {
        regs.set('GCMD', value);
        let gsts = this.read('GSTS');
        if ((value & GCMD.SRTP) !== 0n) {
          const rt = this.read('RTADDR');
          const ttm = Number((rt >> RTADDR_TTM_SHIFT) & 3n);
          const mode: VtdMode | 'invalid' = ttm === 0 ? 'legacy' : ttm === 1 && this.features.smts ? 'scalable' : 'invalid';
          this.s.root = { address: rt & ~0xfffn, mode };
          gsts |= GSTS.RTPS;
        }
        const qieWas = (gsts & GSTS.QIES) !== 0n;
        gsts = (value & GCMD.TE) !== 0n ? gsts | GSTS.TES : gsts & ~GSTS.TES;
        gsts = (value & GCMD.QIE) !== 0n ? gsts | GSTS.QIES : gsts & ~GSTS.QIES;
        if (!qieWas && (value & GCMD.QIE) !== 0n) regs.set('IQH', 0n);
        regs.set('GSTS', gsts);
        return [];
      }
      case 'FSTS': {
        if ((value & FSTS.PFO) !== 0n) this.s.faults.overflow = false;
        if ((value & FSTS.IQE) !== 0n) regs.set('FSTS', (regs.get('FSTS') ?? 0n) & ~FSTS.IQE);
        return [];
      }
      case 'ICS':
        if ((value & 1n) !== 0n) regs.set('ICS', 0n);
        return [];
      case 'IQT': {
        regs.set('IQT', value);
        return this.processQueue();
      }
      default:
        regs.set(name, value);
        return [];
    }
  }

  /** Software clears a fault record by writing 1 to its F bit. */
  clearFault(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.s.faults.records.length) throw new EngineError(`fault record index must be 0..${this.s.faults.records.length - 1}`, 'index');
    return clearRecord(this.s.faults, index);
  }

  recordFault(r: Omit<FaultRecord, 'f'>): RecordOutcome {
    return recordFault(this.s.faults, r);
  }

  dma(req: VtdDmaRequest): VtdDmaOutcome {
    const root = this.s.root;
    return runVtdDma({
      mem: this.mem, features: this.features, caches: this.s.caches, enabled: this.enabled && root !== null,
      mode: root?.mode ?? 'legacy', rootTable: root?.address ?? 0n, recordFault: (r) => this.recordFault(r),
    }, req);
  }

  /** Processes descriptors from IQH to IQT in order, stopping at a bad one (FSTS.IQE), as the hardware does once QIE is set. */
  private processQueue(): ConsumedDescriptor[] {
    const out: ConsumedDescriptor[] = [];
    if ((this.read('GSTS') & GSTS.QIES) === 0n || (this.read('FSTS') & FSTS.IQE) !== 0n) return out;
    const q = this.queue;
    const shift = q.descBytes === 32 ? 5n : 4n;
    let head = q.head;
    const scalable = this.s.root?.mode === 'scalable';
    while (head !== q.tail % q.slots) {
      const address = q.base + BigInt(head * q.descBytes);
      const words: bigint[] = [];
      for (let i = 0; i < q.descBytes / 8; i++) words.push(this.mem.read64(address + BigInt(i * 8)) ?? 0n);
      const d = decodeInvDescriptor(words[0] as bigint, words[1] as bigint);
      if (!d.ok) {
        this.s.regs.set('FSTS', (this.s.regs.get('FSTS') ?? 0n) | FSTS.IQE);
        out.push({ index: head, address, words, summary: d.why, error: d.why });
        break;
      }
      const effect = executeInv(this.s.caches, this.mem, scalable, d.descriptor);
      if (effect.completion) this.s.regs.set('ICS', 1n);
      out.push({ index: head, address, words, descriptor: d.descriptor, summary: describeInv(d.descriptor), effect });
      head = (head + 1) % q.slots;
    }
    this.s.regs.set('IQH', BigInt(head) << shift);
    return out;
  }
}
