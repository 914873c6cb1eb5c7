/**
 * An STE or a CD field by field, from the engine's field tables: each field
 * with its qword, its bits and width, its value and what the value means.
 * Fields left out are 0, so the table lists the fields set and offers the
 * rest to add (or shows them all). A command's fields use the same rows.
 */
import { useState } from 'react';
import type { FieldSpec } from '../../engine/hw/smmu/fields.ts';
import { IssueMessages, useIssuesAt } from './context.tsx';
import { pathText, type Path } from './draft.ts';
import { editAt, sealEdit } from './editorStore.ts';
import { domId, fieldValueOfText, textOf } from './fieldText.ts';
import { ExtraFields } from './ObjectFields.tsx';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

export const bitsText = (f: FieldSpec): string => (f.msb === f.lsb ? `[${f.msb}]` : `[${f.msb}:${f.lsb}]`);

function meaning(f: FieldSpec, value: unknown): string {
  const named = typeof value === 'number' && f.values ? f.values[value] : undefined;
  return named ? `${named}. ${f.doc}` : f.doc;
}

function FieldRow({ spec, path, value }: { readonly spec: FieldSpec; readonly path: Path; readonly value: unknown }) {
  const at = pathText([...path, spec.name]);
  const id = domId(at);
  const issues = useIssuesAt(at);
  const width = spec.msb - spec.lsb + 1;
  return (
    <tr data-path={at} className={issues.length > 0 ? 'has-issue' : undefined}>
      <th scope="row">
        <label htmlFor={id} className="mono ed-key">{spec.name}</label>
        <span className="mono muted ed-bits">q{spec.qword} {bitsText(spec)} {spec.kind === 'address' ? 'address' : `${width} bit${width === 1 ? '' : 's'}`}</span>
      </th>
      <td>
        <input id={id} type="text" className={`ed-input mono${issues.length > 0 ? ' is-invalid' : ''}`} spellCheck={false} autoComplete="off"
          aria-invalid={issues.length > 0 || undefined} aria-describedby={issues.length > 0 ? `${id}-issues` : undefined}
          placeholder={spec.kind === 'address' ? '0x0000_0000' : '0'} value={textOf(value)} onBlur={sealEdit}
          onChange={(e) => editAt([...path, spec.name], fieldValueOfText(e.target.value) ?? '')} />
        <IssueMessages path={at} id={`${id}-issues`} />
      </td>
      <td className="ed-meaning">{meaning(spec, value)}</td>
      <td><button type="button" className="button ed-small" aria-label={`Remove ${spec.name}`} onClick={() => editAt([...path, spec.name], undefined)}>×</button></td>
    </tr>
  );
}

interface RowsProps {
  readonly specs: readonly FieldSpec[];
  readonly path: Path;
  readonly value: unknown;
  readonly label: string;
  /** Keys of `value` that are not fields but belong there (a command's op). */
  readonly reserved?: readonly string[];
}

/** The set fields of `value` (or all of `specs`), and a picker for the rest. */
export function FieldSpecRows({ specs, path, value, label, reserved = [] }: RowsProps) {
  const [showAll, setShowAll] = useState(false);
  const object = record(value);
  const shown = specs.filter((f) => showAll || object[f.name] !== undefined);
  const unset = specs.filter((f) => object[f.name] === undefined);
  const pickerId = domId(`${pathText(path)}#add`);
  return (
    <div className="ed-entry">
      {shown.length > 0 && (
        <table className="ed-entry-table">
          <caption className="visually-hidden">{label}</caption>
          <thead><tr><th scope="col">Field, bits</th><th scope="col">Value</th><th scope="col">Meaning</th><th scope="col"><span className="visually-hidden">Remove</span></th></tr></thead>
          <tbody>{shown.map((f) => <FieldRow key={f.name} spec={f} path={path} value={object[f.name]} />)}</tbody>
        </table>
      )}
      <div className="ed-entry-tools">
        {unset.length > 0 && !showAll && (
          <>
            <label htmlFor={pickerId}>Add a field</label>
            <select id={pickerId} value="" onChange={(e) => e.target.value && editAt([...path, e.target.value], 0)}>
              <option value="">(choose)</option>
              {unset.map((f) => <option key={f.name} value={f.name}>{f.name} q{f.qword} {bitsText(f)}</option>)}
            </select>
          </>
        )}
        {specs.length > 0 && (
          <label className="ed-check"><input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all {specs.length} fields</label>
        )}
      </div>
      <ExtraFields fields={[...specs.map((f) => f.name), ...reserved].map((key) => ({ key, optional: true, description: undefined, control: { kind: 'text' } }))} path={path} value={value} />
    </div>
  );
}

interface EntryProps {
  readonly entry: 'STE' | 'CD';
  readonly specs: readonly FieldSpec[];
  readonly path: Path;
  readonly value: unknown;
}

export function EntryEditor({ entry, specs, path, value }: EntryProps) {
  const at = pathText(path);
  return (
    <fieldset className={`ed-group${useIssuesAt(at).length > 0 ? ' has-issue' : ''}`} data-path={at}>
      <legend>{entry === 'STE' ? 'STE fields (Stream Table Entry)' : 'CD fields (Context Descriptor)'}</legend>
      <p className="ed-help">
        By their SMMUv3 names; fields left out are 0. Values are whole numbers or hex (<code>0x…</code>, <code>_</code> allowed); address fields hold the whole
        address, not shifted.
      </p>
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      <FieldSpecRows specs={specs} path={path} value={value} label={`${entry} fields`} />
    </fieldset>
  );
}
