/**
 * What one Linux call works with: the engine's memory and SMMU, the Linux
 * state, and the record of everything it did (hardware writes in order,
 * WARN_ONs, findings, the checkpoints of a domain switch).
 */
import type { IssueResult } from '../arm-smmu-v3/cmdq.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import { driverOps } from './drivers.ts';
import type { IommuOps } from './iommu-ops.ts';
import type { EngineState } from '../../state.ts';
import { EngineError } from '../../util/assert.ts';
import type { InflightDma } from './call-types.ts';
import type { DmaApiReport } from './dma-types.ts';
import type { LinuxFinding, LinuxHwWrite } from './record-types.ts';
import { Transition } from './transition.ts';
import type { LinuxState } from './types.ts';

export class CallContext {
  readonly hw: LinuxHwWrite[] = [];
  readonly warnings: string[] = [];
  readonly findings: LinuxFinding[] = [];
  readonly transition: Transition;
  /** Set by DMA API, flush-queue and ATS calls: the state the UI shows after them (os/core/dma-report.ts). */
  dmaApi?: DmaApiReport;
  /** The driver the core calls (iommu_ops): arm-smmu-v3 or intel-iommu, as linux.boot chose. */
  readonly ops: IommuOps;

  constructor(
    readonly s: EngineState,
    readonly linux: LinuxState,
    /** The call's name, for findings. */
    readonly call: string,
    inflight: readonly InflightDma[] = [],
  ) {
    this.ops = driverOps(linux.iommu);
    this.transition = new Transition(this, inflight);
  }

  /** The SMMU, for arm-smmu-v3 code; on a VT-d machine a call that needs it is refused. */
  get smmu(): Smmu {
    if (!this.s.smmu || this.linux.iommu === 'intel-iommu') throw new EngineError(`${this.call} needs the SMMU (an arm-smmu-v3 feature), but Linux booted on intel-iommu`, 'call');
    return this.s.smmu;
  }

  /** WARN_ON: the kernel prints a backtrace and carries on. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  finding(f: Omit<LinuxFinding, 'call'>): void {
    this.findings.push({ ...f, call: this.call });
  }

  commands(why: string, r: IssueResult): void {
    this.hw.push({ kind: 'commands', why, writes: r.writes, prod: r.prod, consumed: r.consumed });
  }

  /** Table memory for the driver; an exhausted allocator is the kernel's ENOMEM. */
  alloc(what: string, bytes: bigint): bigint | 'ENOMEM' {
    try {
      const address = this.s.allocator.alloc(bytes);
      this.hw.push({ kind: 'alloc', what, address, bytes: bytes < 4096n ? 4096n : bytes });
      return address;
    } catch (e) {
      if (e instanceof EngineError && e.message.startsWith('ENOMEM')) return 'ENOMEM';
      throw e;
    }
  }

  release(what: string, address: bigint, bytes: bigint): void {
    const b = bytes < 4096n ? 4096n : bytes;
    this.s.allocator.release(address, b);
    this.hw.push({ kind: 'free', what, address, bytes: b });
  }
}

export function smmuOf(s: EngineState): Smmu {
  if (!s.smmu) throw new EngineError('there is no SMMU: linux.boot probes one unless an smmu.probe step came first', 'kind');
  return s.smmu;
}
