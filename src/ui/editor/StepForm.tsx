/**
 * The form for what is selected: the scenario's title, description and
 * configuration, or one step, its kind chosen from every kind the format has
 * and its fields drawn from that kind's schema.
 */
import { STEP_KINDS } from '../../scenario/index.ts';
import { IssueMessages, NamesContext, useIssuesAt } from './context.tsx';
import { pathText, stepsOf, type Draft } from './draft.ts';
import { changeStepKind } from './stepActions.ts';
import { domId } from './fieldText.ts';
import { FieldGroup } from './FieldGroup.tsx';
import { FieldInput } from './FieldInput.tsx';
import { ExtraFields } from './ObjectFields.tsx';
import { DOCUMENT_FIELDS, stepFields } from './schemaFields.ts';
import { knownNames } from './stepDefaults.ts';
import { stepSummary } from './stepSummary.ts';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

const IGNORED_DOCUMENT_KEYS = ['$schema', 'format', 'version', 'steps'];

function DocumentForm({ draft }: { readonly draft: Draft }) {
  return (
    <section className="ed-form" aria-labelledby="ed-doc-heading" data-path="">
      <h3 id="ed-doc-heading" className="ed-form-title">The scenario</h3>
      <div className="ed-fields">
        {DOCUMENT_FIELDS.map((d) => <FieldInput key={d.key} descriptor={d} path={[d.key]} value={draft[d.key]} />)}
        <ExtraFields fields={[...DOCUMENT_FIELDS, ...IGNORED_DOCUMENT_KEYS.map((key) => ({ key, optional: true, description: undefined, control: { kind: 'text' as const } }))]} path={[]} value={draft} />
      </div>
    </section>
  );
}

function StepFields({ draft, index }: { readonly draft: Draft; readonly index: number }) {
  const step = stepsOf(draft)[index];
  const kind = record(step).kind;
  const path = ['steps', index] as const;
  const at = pathText(path);
  const kindAt = pathText([...path, 'kind']);
  const kindId = domId(kindAt);
  const fields = stepFields(step);
  const kindInvalid = useIssuesAt(kindAt).length > 0;
  const known = typeof kind === 'string' && (STEP_KINDS as readonly string[]).includes(kind);
  return (
    <section className="ed-form" aria-labelledby="ed-step-heading" data-path={at}>
      <h3 id="ed-step-heading" className="ed-form-title">Step {index}: <span className="mono">{stepSummary(step)}</span></h3>
      <IssueMessages path={at} id={`${domId(at)}-issues`} />
      <div className="ed-field" data-path={kindAt}>
        <label htmlFor={kindId} className="ed-label"><span className="mono ed-key">kind</span></label>
        <select id={kindId} className={`ed-input mono${kindInvalid ? ' is-invalid' : ''}`} value={known ? kind : ''} aria-invalid={kindInvalid || undefined}
          aria-describedby={kindInvalid ? `${kindId}-issues` : undefined} onChange={(e) => changeStepKind(index, e.target.value)}>
          {!known && <option value="">{typeof kind === 'string' ? `${kind} (unknown)` : '(choose)'}</option>}
          {STEP_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <p className="ed-help">Changing the kind keeps the note and the fields both kinds have.</p>
        <IssueMessages path={kindAt} id={`${kindId}-issues`} />
      </div>
      {fields && (
        <NamesContext.Provider value={knownNames(draft, index)}>
          <div className="ed-fields">
            <FieldGroup key={fields.map((d) => d.key).join()} fields={fields} path={path} value={step} />
            <ExtraFields fields={fields} path={path} value={step} />
          </div>
        </NamesContext.Provider>
      )}
    </section>
  );
}

export function StepForm({ draft, selected }: { readonly draft: Draft; readonly selected: number }) {
  const steps = stepsOf(draft);
  if (selected < 0 || selected >= steps.length) return <DocumentForm draft={draft} />;
  return <StepFields key={selected} draft={draft} index={selected} />;
}
