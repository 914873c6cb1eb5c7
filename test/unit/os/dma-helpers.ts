/**
 * Shorthands for the DMA API, reserved-region and ATS tests: kernel calls by
 * name on the real engine, returning the linux.called event.
 */
import type { Engine, PciDeviceSpec } from '../../../src/engine/index.ts';
import type { DmaDirection } from '../../../src/engine/os/core/dma-types.ts';
import { call, group, type Called, type Finding } from './helpers.ts';

export type CallResult = Called & { findings: Finding[] };

export const DMA_MAPPING_ERROR = (1n << 64n) - 1n;

export function mapSingle(e: Engine, dev: string, paddr: bigint, size: bigint, dir: DmaDirection = 'DMA_BIDIRECTIONAL'): CallResult {
  return call(e, { call: 'dma_map_single', args: { dev, paddr, size, dir } });
}

/** The DMA address a successful dma_map_single returned (fails the test otherwise). */
export function mapOk(e: Engine, dev: string, paddr: bigint, size: bigint, dir: DmaDirection = 'DMA_BIDIRECTIONAL'): bigint {
  const r = mapSingle(e, dev, paddr, size, dir);
  if (r.ret !== 0 || r.value === undefined) throw new Error(`dma_map_single failed: ${r.returned}`);
  return r.value;
}

export function unmapSingle(e: Engine, dev: string, dmaAddr: bigint, size: bigint, dir: DmaDirection = 'DMA_BIDIRECTIONAL'): CallResult {
  return call(e, { call: 'dma_unmap_single', args: { dev, dmaAddr, size, dir } });
}

export function fqTimer(e: Engine, domain: string): CallResult {
  return call(e, { call: 'fq_flush_timeout', args: { domain } });
}

export function defaultDomain(e: Engine, dev: string): string {
  const d = group(e, dev).defaultDomain;
  if (d === null) throw new Error(`${dev}'s group has no default domain`);
  return d;
}

/** An endpoint with PASID, ATS and PRI under an ACS root port. */
export const ATS_DEV: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'N', bdf: '01:00.0', parent: 'rp0', pasidBits: 16, ats: true, pri: true },
];
