/**
 * One field of the form, drawn from its descriptor: a hex or text input, a
 * whole number, a choice, a flag, a note. Every keystroke goes into the
 * draft as typed (fieldText.ts), the parser's message for the field's path
 * appears under it, and leaving the field ends its undo entry.
 */
import { useContext } from 'react';
import { KNOWN_CALLS, signatureText } from '../../scenario/index.ts';
import { IssueMessages, NamesContext, useIssuesAt } from './context.tsx';
import { pathText, type Path } from './draft.ts';
import { editAt, sealEdit } from './editorStore.ts';
import { changeCall } from './stepActions.ts';
import { choiceOf, domId, optionValue, textOf, valueOfText } from './fieldText.ts';
import { CommandsEditor } from './CommandsEditor.tsx';
import { EntryEditor } from './EntryEditor.tsx';
import { ListField, ObjectFields } from './ObjectFields.tsx';
import type { FieldDescriptor } from './schemaFields.ts';

interface Props {
  readonly descriptor: FieldDescriptor;
  readonly path: Path;
  readonly value: unknown;
}

const PLACEHOLDERS: Partial<Record<string, string>> = { hex: '0x0000_0000', prot: 'rw', scalar: 'name or number' };

export function FieldInput({ descriptor: d, path, value }: Props) {
  const text = pathText(path);
  const id = domId(text);
  const issues = useIssuesAt(text);
  const names = useContext(NamesContext);
  const c = d.control;

  if (c.kind === 'object') return <ObjectFields legend={d.key} description={d.description} fields={c.fields} path={path} value={value} />;
  if (c.kind === 'list') return <ListField descriptor={d} item={c.item} path={path} value={value} />;
  if (c.kind === 'entry') return <EntryEditor entry={c.entry} specs={c.specs} path={path} value={value} />;
  if (c.kind === 'commands') return <CommandsEditor path={path} value={value} />;

  const invalid = issues.length > 0;
  const describedBy = [invalid ? `${id}-issues` : '', d.description ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, onBlur: sealEdit, className: `ed-input${invalid ? ' is-invalid' : ''}` };
  const onText = (next: string) => editAt(path, valueOfText(c, next, d.optional));
  const refers = c.kind === 'name' || c.kind === 'scalar' ? c.refers : undefined;
  const listId = refers ? `${id}-names` : undefined;

  let input;
  if (c.kind === 'bool' || c.kind === 'choice') {
    const options = c.kind === 'bool' ? [true, false] : c.options;
    const known = value === undefined || options.some((o) => o === value);
    input = (
      <select {...common} value={value === undefined ? '' : optionValue(value)} onChange={(e) => editAt(path, choiceOf(e.target.value))}>
        {(d.optional || value === undefined) && <option value="">{d.optional ? '(not set)' : '(choose)'}</option>}
        {!known && <option value={optionValue(value)}>{textOf(value)} (not allowed)</option>}
        {options.map((o) => <option key={optionValue(o)} value={optionValue(o)}>{String(o)}</option>)}
      </select>
    );
  } else if (c.kind === 'call') {
    const call = typeof value === 'string' ? value : '';
    input = (
      <select {...common} value={call} onChange={(e) => changeCall(path[1] as number, e.target.value)}>
        {!KNOWN_CALLS.includes(call) && <option value={call}>{call === '' ? '(choose)' : `${call} (unknown)`}</option>}
        {KNOWN_CALLS.map((name) => <option key={name} value={name}>{signatureText(name)}</option>)}
      </select>
    );
  } else if (c.kind === 'note' || c.kind === 'json' || c.kind === 'strings') {
    input = <textarea {...common} className={`${common.className} ed-note${c.kind === 'note' ? '' : ' mono'}`} rows={c.kind === 'note' ? 3 : 4}
      placeholder={c.kind === 'strings' ? 'one per line' : undefined} value={textOf(value, c)} onChange={(e) => onText(e.target.value)} />;
  } else {
    const mono = c.kind === 'hex' || c.kind === 'int' || c.kind === 'prot' || c.kind === 'name' || c.kind === 'scalar';
    input = (
      <input {...common} className={`${common.className}${mono ? ' mono' : ''}`} type="text" spellCheck={false} autoComplete="off" list={listId}
        inputMode={c.kind === 'int' ? 'numeric' : undefined} placeholder={PLACEHOLDERS[c.kind]}
        value={textOf(value)} onChange={(e) => onText(e.target.value)} />
    );
  }

  return (
    <div className={`ed-field${invalid ? ' has-issue' : ''}`} data-path={text}>
      <label htmlFor={id} className="ed-label">
        <span className="mono ed-key">{d.key}</span>
        {c.kind === 'int' && c.min !== undefined && c.max !== undefined && <span className="ed-range">{c.min} to {c.max}</span>}
        {c.kind === 'hex' && <span className="ed-range">hex</span>}
        {d.optional && <span className="ed-optional">optional</span>}
      </label>
      {input}
      {refers && listId && (
        <datalist id={listId}>
          {names[refers].map((n) => <option key={n} value={n} />)}
        </datalist>
      )}
      {d.description && <p className="ed-help" id={`${id}-help`}>{d.description}</p>}
      <IssueMessages path={text} id={`${id}-issues`} />
    </div>
  );
}
