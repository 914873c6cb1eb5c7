/**
 * Groups of fields: an object (features, tableMemory, a call's arguments),
 * a list of objects (linux.boot's devices, in-flight DMAs), and the fields a
 * value carries that its kind does not have (a misspelt "TOSZ" from the JSON
 * tab), shown with the parser's message and a button to remove them.
 */
import { IssueMessages, useIssuesAt } from './context.tsx';
import { appendAt, moveItem, pathText, type Path } from './draft.ts';
import { editAt, editDraft, selectDraft, useEditorStore } from './editorStore.ts';
import { domId, textOf } from './fieldText.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { extraKeys } from './issuePlacement.ts';
import type { FieldDescriptor } from './schemaFields.ts';
import { defaultItem } from './stepDefaults.ts';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The fields of `value` that `fields` does not declare. */
export function ExtraFields({ fields, path, value }: { readonly fields: readonly FieldDescriptor[]; readonly path: Path; readonly value: unknown }) {
  const extras = extraKeys(value, fields.map((d) => d.key));
  return (
    <>
      {extras.map((key) => {
        const at = pathText([...path, key]);
        return (
          <div key={key} className="ed-field ed-extra has-issue" data-path={at}>
            <span className="ed-label"><span className="mono ed-key">{key}</span> <span className="ed-optional">not a field here</span></span>
            <code className="ed-extra-value">{textOf(record(value)[key])}</code>
            <button type="button" className="button ed-small" onClick={() => editAt([...path, key], undefined)}>Remove {key}</button>
            <IssueMessages path={at} id={`${domId(at)}-issues`} />
          </div>
        );
      })}
    </>
  );
}

interface ObjectProps {
  readonly legend: string;
  readonly description: string | undefined;
  readonly fields: readonly FieldDescriptor[];
  readonly path: Path;
  readonly value: unknown;
}

export function ObjectFields({ legend, description, fields, path, value }: ObjectProps) {
  const at = pathText(path);
  const object = record(value);
  return (
    <fieldset className={`ed-group${useIssuesAt(at).length > 0 ? ' has-issue' : ''}`} data-path={at}>
      <legend className="mono">{legend}</legend>
      {description && <p className="ed-help">{description}</p>}
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      <div className="ed-fields">
        <FieldGroup key={fields.map((d) => d.key).join()} fields={fields} path={path} value={object} />
        <ExtraFields fields={fields} path={path} value={value} />
      </div>
    </fieldset>
  );
}

interface ListProps {
  readonly descriptor: FieldDescriptor;
  readonly item: readonly FieldDescriptor[];
  readonly path: Path;
  readonly value: unknown;
}

export function ListField({ descriptor, item, path, value }: ListProps) {
  const at = pathText(path);
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  const add = () => {
    const draft = selectDraft(useEditorStore.getState());
    editDraft(appendAt(draft, path, defaultItem(item, draft, path)));
  };
  return (
    <fieldset className={`ed-group${useIssuesAt(at).length > 0 ? ' has-issue' : ''}`} data-path={at}>
      <legend className="mono">{descriptor.key}{descriptor.optional ? ' (optional)' : ''}</legend>
      {descriptor.description && <p className="ed-help">{descriptor.description}</p>}
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      {items.map((entry, i) => (
        <div key={i} className="ed-list-item">
          <div className="ed-item-head">
            <span className="ed-item-title">{descriptor.key}[{i}]{typeof record(entry).name === 'string' ? ` ${String(record(entry).name)}` : ''}</span>
            <button type="button" className="button ed-small" aria-label={`Move ${descriptor.key}[${i}] up`} disabled={i === 0} onClick={() => editDraft(moveItem(selectDraft(useEditorStore.getState()), [...path, i], -1))}>↑</button>
            <button type="button" className="button ed-small" aria-label={`Move ${descriptor.key}[${i}] down`} disabled={i === items.length - 1} onClick={() => editDraft(moveItem(selectDraft(useEditorStore.getState()), [...path, i], 1))}>↓</button>
            <button type="button" className="button ed-small" aria-label={`Remove ${descriptor.key}[${i}]`} onClick={() => editAt([...path, i], undefined)}>Remove</button>
          </div>
          <div className="ed-fields">
            <FieldGroup key={item.map((d) => d.key).join()} fields={item} path={[...path, i]} value={entry} />
            <ExtraFields fields={item} path={[...path, i]} value={entry} />
          </div>
        </div>
      ))}
      <button type="button" className="button ed-small" onClick={add}>Add to {descriptor.key}</button>
    </fieldset>
  );
}
