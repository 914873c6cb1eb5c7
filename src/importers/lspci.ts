/**
 * One line of `lspci -nn` (or plain `lspci`, or `lspci -D -nn`):
 *   00:1f.3 Audio device [0403]: Intel Corporation Cannon Lake PCH cAVS [8086:a348] (rev 10)
 * The class code in brackets says what the function is; 06xx are bridges.
 */
import { parseBdf } from './bdf.ts';
import type { Bdf } from './types.ts';

export interface LspciDevice {
  readonly bdf: Bdf;
  /** "Audio device", as lspci names the class. */
  readonly className: string;
  /** Base class and subclass, 16 bits: 0x0403. Undefined when lspci ran without -nn. */
  readonly classCode: number | undefined;
  /** "Intel Corporation Cannon Lake PCH cAVS". */
  readonly name: string;
  readonly vendorId: number | undefined;
  readonly deviceId: number | undefined;
  readonly revision: number | undefined;
}

export type LspciResult =
  | { readonly kind: 'device'; readonly device: LspciDevice }
  | { readonly kind: 'bad'; readonly reason: string };

// The address, then the class name up to the first ": ". Class names never hold a colon.
const HEAD = /^((?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s+([^:\s][^:]*?):\s+(.*)$/;
const CLASS_CODE = /^(.*?)\s*\[([0-9a-fA-F]{4})\]$/;
const REV = /\s*\(rev ([0-9a-fA-F]{2})\)$/;
const PROG_IF = /\s*\(prog-if [0-9a-fA-F]{2}(?: \[[^\]]*\])?\)$/;
// The last [vvvv:dddd] is the ids; product names may hold other brackets ("[GeForce RTX 2070]").
const IDS = /\s*\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\]$/;

/** Reads the line as lspci output; undefined when it does not start like one (an address and a class). */
export function parseLspciLine(text: string): LspciResult | undefined {
  const m = HEAD.exec(text.trim());
  if (!m) return undefined;
  const bdf = parseBdf(m[1] ?? '');
  if (!bdf) return { kind: 'bad', reason: `"${m[1]}" is not a PCI address: the device number is 00-1f and the function 0-7` };
  let className = m[2] ?? '';
  let classCode: number | undefined;
  const cc = CLASS_CODE.exec(className);
  if (cc) {
    className = cc[1] ?? '';
    classCode = parseInt(cc[2] ?? '', 16);
  }
  let rest = m[3] ?? '';
  let revision: number | undefined;
  // "(prog-if ..)" follows "(rev ..)" when lspci runs with -v; strip in either order.
  for (let i = 0; i < 2; i++) {
    rest = rest.replace(PROG_IF, '');
    const rev = REV.exec(rest);
    if (rev) {
      revision = parseInt(rev[1] ?? '', 16);
      rest = rest.slice(0, rev.index);
    }
  }
  let vendorId: number | undefined;
  let deviceId: number | undefined;
  const ids = IDS.exec(rest);
  if (ids) {
    vendorId = parseInt(ids[1] ?? '', 16);
    deviceId = parseInt(ids[2] ?? '', 16);
    rest = rest.slice(0, ids.index);
  }
  const name = rest.trim();
  if (name === '' && vendorId === undefined) return { kind: 'bad', reason: 'the device has no name and no [vendor:device] ids after the class' };
  return { kind: 'device', device: { bdf, className: className.trim(), classCode, name, vendorId, deviceId, revision } };
}

/** What a class code means for isolation. */
export type BridgeKind = 'host-bridge' | 'pci-bridge' | 'isa-bridge' | 'other-bridge' | undefined;

/** PCI class 06 is "bridge"; subclass 00 host, 01 ISA (the LPC), 04 and 09 PCI-to-PCI (root and switch ports). */
export function bridgeKind(classCode: number | undefined): BridgeKind {
  if (classCode === undefined || classCode >> 8 !== 0x06) return undefined;
  const sub = classCode & 0xff;
  if (sub === 0x00) return 'host-bridge';
  if (sub === 0x04 || sub === 0x09) return 'pci-bridge';
  if (sub === 0x01) return 'isa-bridge';
  return 'other-bridge';
}

/** "8086:a348". */
export function idsText(d: Pick<LspciDevice, 'vendorId' | 'deviceId'>): string | undefined {
  if (d.vendorId === undefined || d.deviceId === undefined) return undefined;
  return `${d.vendorId.toString(16).padStart(4, '0')}:${d.deviceId.toString(16).padStart(4, '0')}`;
}
