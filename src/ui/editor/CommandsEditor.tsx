/**
 * smmu.commands: the commands written into the queue, in order, each its
 * op (CMD_CFGI_STE, CMD_TLBI_NH_VA, CMD_SYNC ...) and that command's fields
 * from the engine's command table, with their bits.
 */
import { COMMAND_OPS, type CommandOp } from '../../scenario/index.ts';
import { commandFields } from '../../scenario/steps-cmdq.ts';
import { IssueMessages, useIssuesAt } from './context.tsx';
import { appendAt, moveItem, pathText, type Path } from './draft.ts';
import { editAt, editDraft, selectDraft, useEditorStore } from './editorStore.ts';
import { FieldSpecRows } from './EntryEditor.tsx';
import { domId } from './fieldText.ts';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const isOp = (op: unknown): op is CommandOp => COMMAND_OPS.includes(op as CommandOp);

function CommandItem({ path, value, index, count }: { readonly path: Path; readonly value: unknown; readonly index: number; readonly count: number }) {
  const at = pathText(path);
  const opPath = pathText([...path, 'op']);
  const id = domId(opPath);
  const op = record(value).op;
  const invalid = useIssuesAt(opPath).length > 0;
  const move = (delta: number) => editDraft(moveItem(selectDraft(useEditorStore.getState()), path, delta));
  // A new op keeps the fields the two commands share (StreamID, ASID ...).
  const changeOp = (next: string) => {
    const old = record(value);
    const keep = isOp(next) ? commandFields(next).map((f) => f.name) : [];
    editAt(path, { op: next, ...Object.fromEntries(Object.entries(old).filter(([k]) => keep.includes(k))) });
  };
  return (
    <li className="ed-list-item" data-path={at}>
      <div className="ed-item-head">
        <label htmlFor={id} className="ed-item-title">Command {index}</label>
        <select id={id} className={`ed-input mono${invalid ? ' is-invalid' : ''}`} value={typeof op === 'string' ? op : ''} aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-issues` : undefined} onChange={(e) => changeOp(e.target.value)}>
          {!isOp(op) && <option value={typeof op === 'string' ? op : ''}>{typeof op === 'string' && op !== '' ? `${op} (unknown)` : '(choose)'}</option>}
          {COMMAND_OPS.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <button type="button" className="button ed-small" aria-label={`Move command ${index} up`} disabled={index === 0} onClick={() => move(-1)}>↑</button>
        <button type="button" className="button ed-small" aria-label={`Move command ${index} down`} disabled={index === count - 1} onClick={() => move(1)}>↓</button>
        <button type="button" className="button ed-small" aria-label={`Remove command ${index}`} onClick={() => editAt(path, undefined)}>Remove</button>
      </div>
      <IssueMessages path={opPath} id={`${id}-issues`} />
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      {isOp(op) && <FieldSpecRows specs={commandFields(op)} path={path} value={value} label={`${op} fields`} reserved={['op']} />}
    </li>
  );
}

export function CommandsEditor({ path, value }: { readonly path: Path; readonly value: unknown }) {
  const at = pathText(path);
  const commands = Array.isArray(value) ? (value as unknown[]) : [];
  return (
    <fieldset className={`ed-group${useIssuesAt(at).length > 0 ? ' has-issue' : ''}`} data-path={at}>
      <legend>Commands</legend>
      <p className="ed-help">Written into the command queue in order; then CMDQ_PROD is published once and the SMMU consumes them. Fields left out are 0.</p>
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      <ol className="ed-commands" start={0}>
        {commands.map((command, i) => <CommandItem key={i} path={[...path, i]} value={command} index={i} count={commands.length} />)}
      </ol>
      <button type="button" className="button ed-small" onClick={() => editDraft(appendAt(selectDraft(useEditorStore.getState()), path, { op: 'CMD_SYNC' }))}>Add a command</button>
    </fieldset>
  );
}
