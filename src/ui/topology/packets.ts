/**
 * In-flight DMA drawn as packets on the topology: each starts at its device
 * and ends where the SMMU sent it, on the old domain, the new domain, or
 * stopped on the way (blocked), or outside both (a broken invariant). Pure
 * geometry from the layout and the engine's landing words.
 */
import type { Point } from '../walk/paths.ts';
import { deviceId, domainId, type TopologyLayout } from './topologyLayout.ts';

/** The engine's words: a switch's InflightResult.landed, or a linux.dma's landed (new words the engine grows read as "outside"). */
export type Landing = string;
export type PacketTone = 'old' | 'new' | 'blocked' | 'outside';

export interface PacketSpec {
  readonly key: string;
  readonly device: string;
  readonly landed: Landing;
  /** The domain it reached (the switch's old or new domain, a DMA's group domain); null when blocked or unknown. */
  readonly domain: string | null;
  /** What the DMA was: its IOVA, for the tooltip. */
  readonly label: string;
  readonly access?: 'read' | 'write' | 'exec';
}

export interface PacketShape extends PacketSpec {
  readonly tone: PacketTone;
  readonly from: Point;
  readonly to: Point;
}

export const PACKET_R = 12;
const STACK = 2 * PACKET_R + 4;

export function toneOf(landed: Landing): PacketTone {
  switch (landed) {
    case 'old domain':
      return 'old';
    case 'new domain':
    case 'both domains':
    case 'domain':
      return 'new';
    case 'blocked':
      return 'blocked';
    default:
      // 'outside', and anything else the engine may report (a stale IOTLB hit): memory no domain allows.
      return 'outside';
  }
}

export function packetLayout(layout: TopologyLayout, packets: readonly PacketSpec[]): PacketShape[] {
  const perTarget = new Map<string, number>();
  const out: PacketShape[] = [];
  for (const p of packets) {
    const dev = layout.devices.find((d) => d.id === deviceId(p.device));
    if (!dev) continue;
    const from = { x: dev.x + dev.w - PACKET_R - 4, y: dev.y + dev.h / 2 };
    const tone = toneOf(p.landed);
    const target = p.domain === null ? undefined : layout.domains.find((d) => d.id === domainId(p.domain as string));
    let to: Point;
    if ((tone === 'old' || tone === 'new') && target) {
      // At the arrow's end, left of the domain it reached; later packets to the same domain stack upwards.
      const n = perTarget.get(target.id) ?? 0;
      perTarget.set(target.id, n + 1);
      to = { x: target.x - PACKET_R - 3, y: target.y + target.h / 2 + 8 - n * STACK };
    } else {
      // Stopped at the SMMU: blocked, or (outside) let through to memory no domain allows.
      const key = `stop:${dev.id}`;
      const n = perTarget.get(key) ?? 0;
      perTarget.set(key, n + 1);
      to = { x: layout.smmu.x + layout.smmu.w / 2 + n * STACK, y: dev.y + dev.h / 2 };
    }
    out.push({ ...p, tone, from, to });
  }
  return out;
}
