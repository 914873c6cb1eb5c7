/**
 * PCI addresses as Linux prints them: "0000:00:1f.3" (segment, bus,
 * device, function) or "00:1f.3" when the segment is left out (lspci
 * without -D, the VT-d debugfs B.D.F column).
 */
import type { Bdf } from './types.ts';

const BDF = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;

/** Parses "0000:00:1f.3" or "00:1f.3"; a missing segment is `defaultSegment`. */
export function parseBdf(text: string, defaultSegment = 0): Bdf | undefined {
  const m = BDF.exec(text);
  if (!m) return undefined;
  const device = parseInt(m[3] ?? '', 16);
  // Device numbers are 5 bits: 00-1f. "00:20.0" is not a PCI address.
  if (device > 0x1f) return undefined;
  return {
    segment: m[1] === undefined ? defaultSegment : parseInt(m[1], 16),
    bus: parseInt(m[2] ?? '', 16),
    device,
    fn: parseInt(m[4] ?? '', 16),
  };
}

const h = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** "0000:00:1f.3": the key every importer matches devices by. */
export function formatBdf(b: Bdf): string {
  return `${h(b.segment, 4)}:${h(b.bus, 2)}:${h(b.device, 2)}.${b.fn}`;
}

/** "0000:00:1f": the device a function belongs to. */
export function slotKey(b: Bdf): string {
  return `${h(b.segment, 4)}:${h(b.bus, 2)}:${h(b.device, 2)}`;
}

/** The context-table index: device in bits 7:3, function in bits 2:0. */
export function devfn(b: Bdf): number {
  return (b.device << 3) | b.fn;
}

/** The 16-bit requester ID (source-id) VT-d indexes by: bus in 15:8, devfn in 7:0. */
export function requesterId(b: Bdf): number {
  return (b.bus << 8) | devfn(b);
}
