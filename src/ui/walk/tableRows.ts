/**
 * Which entries of a translation table the diagram lists: always the first
 * and the last (so the table's size reads at a glance) and the indexed entry
 * highlighted, with "⋮" for the runs in between. At most five rows.
 */

export type TableRow =
  | { readonly kind: 'entry'; readonly index: number; readonly highlighted: boolean }
  | { readonly kind: 'gap'; readonly highlighted: false };

const entry = (index: number, selected: number): TableRow => ({ kind: 'entry', index, highlighted: index === selected });
const GAP: TableRow = { kind: 'gap', highlighted: false };

export function tableRows(selected: number, entryCount: number): TableRow[] {
  if (!Number.isInteger(entryCount) || entryCount < 1) throw new RangeError(`a table has at least one entry, got ${entryCount}`);
  if (!Number.isInteger(selected) || selected < 0 || selected >= entryCount) {
    throw new RangeError(`index ${selected} is outside a table of ${entryCount} entries`);
  }
  const last = entryCount - 1;
  if (entryCount <= 5) return Array.from({ length: entryCount }, (_, i) => entry(i, selected));
  if (selected <= 1) return [entry(0, selected), entry(1, selected), entry(2, selected), GAP, entry(last, selected)];
  if (selected >= last - 1) return [entry(0, selected), GAP, entry(last - 2, selected), entry(last - 1, selected), entry(last, selected)];
  return [entry(0, selected), GAP, entry(selected, selected), GAP, entry(last, selected)];
}
