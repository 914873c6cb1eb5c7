/**
 * Checks that look across fields or across steps, which the per-field schema
 * cannot express: names must be created before they are used, a value must
 * fit its store, a range must not be empty. They run on the raw document, so
 * a file with a type error elsewhere still gets these messages in one pass.
 */
import { parseU64 } from '../engine/util/u64.ts';
import { linuxCrossChecks } from './checks-linux.ts';
import { smmuCrossChecks } from './checks-smmu.ts';
import { HEX_PATTERN } from './fields.ts';
import type { ScenarioIssue } from './issues.ts';

const TWO_64 = 1n << 64n;

/** Kinds whose `table` field names a page table made by an earlier pgtable.create. */
const TABLE_USERS: ReadonlySet<string> = new Set(['pgtable.map', 'pgtable.unmap', 'walk']);

function hexValue(value: unknown): bigint | undefined {
  return typeof value === 'string' && HEX_PATTERN.test(value) ? parseU64(value) : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function crossChecks(doc: Record<string, unknown>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const memory = record(record(doc.config)?.tableMemory);
  if (memory) {
    const base = hexValue(memory.base);
    const size = hexValue(memory.size);
    // Table pages are granule-aligned, up to 64KB, so the region starts on a 64KB boundary.
    if (base !== undefined && (base & 0xffffn) !== 0n) issues.push({ path: 'config.tableMemory.base', message: 'must be aligned to 64KB (0x1_0000)' });
    if (size === 0n) issues.push({ path: 'config.tableMemory.size', message: 'must not be 0' });
    if (base !== undefined && size !== undefined && base + size > 1n << 52n) {
      issues.push({ path: 'config.tableMemory.size', message: 'the region must end at or below 2^52 (physical addresses are at most 52 bits)' });
    }
  }
  if (!Array.isArray(doc.steps)) return issues;

  const steps: readonly unknown[] = doc.steps;
  const firstCreate = new Map<string, number>();
  steps.forEach((raw, index) => {
    const step = record(raw);
    if (step?.kind === 'pgtable.create' && typeof step.name === 'string' && !firstCreate.has(step.name)) firstCreate.set(step.name, index);
  });
  const createdAt = new Map<string, number>();
  steps.forEach((raw: unknown, index) => {
    const step = record(raw);
    if (!step || typeof step.kind !== 'string') return;
    const at = (field: string) => `steps[${index}].${field}`;
    if (step.kind === 'pgtable.create' && typeof step.name === 'string') {
      const earlier = createdAt.get(step.name);
      if (earlier !== undefined) issues.push({ path: at('name'), message: `a page table named "${step.name}" was already created at steps[${earlier}]` });
      else createdAt.set(step.name, index);
    }
    if (TABLE_USERS.has(step.kind) && typeof step.table === 'string' && !createdAt.has(step.table)) {
      // Not created before this step, so its first creation (if any) is a later one.
      const later = firstCreate.get(step.table);
      issues.push({
        path: at('table'),
        message: `no page table named "${step.table}" was created before this step${later === undefined ? '' : ` (it is created later, at steps[${later}])`}`,
      });
    }
    if (step.kind === 'memory.write') {
      const value = hexValue(step.value);
      const size = step.size === undefined ? 8 : step.size;
      if (value !== undefined && (size === 1 || size === 2 || size === 4) && value >> BigInt(size * 8) !== 0n) {
        issues.push({ path: at('value'), message: `does not fit in ${size} byte${size === 1 ? '' : 's'} (size is ${size})` });
      }
    }
    if (step.kind === 'pgtable.map' || step.kind === 'pgtable.unmap') {
      const size = hexValue(step.size);
      const iova = hexValue(step.iova);
      if (size === 0n) issues.push({ path: at('size'), message: 'must not be 0' });
      else if (size !== undefined && iova !== undefined && iova + size > TWO_64) {
        issues.push({ path: at('size'), message: 'iova + size goes past the top of the 64-bit address space' });
      }
      const paddr = hexValue(step.paddr);
      if (step.kind === 'pgtable.map' && size !== undefined && paddr !== undefined && size !== 0n && paddr + size > TWO_64) {
        issues.push({ path: at('size'), message: 'paddr + size goes past the top of the 64-bit address space' });
      }
    }
  });
  issues.push(...smmuCrossChecks(steps));
  issues.push(...linuxCrossChecks(steps));
  return issues;
}
