/**
 * Edits that need to know the step kinds (what a new step of a kind holds,
 * what a call's arguments are): kept apart from the store, so the app can
 * start the editor's session without loading the format's schemas.
 */
import { insertStep, setAt, stepsOf } from './draft.ts';
import { editDraft, selectStep, useEditorStore } from './editorStore.ts';
import { defaultStep, withCall } from './stepDefaults.ts';

const get = useEditorStore.getState;

/** A new step of `kind` after the selected one (at the end when the title is selected), and selects it. */
export function addStep(kind: string): void {
  const { history, selected } = get();
  const draft = history.present;
  const at = selected < 0 ? stepsOf(draft).length : selected + 1;
  editDraft(insertStep(draft, at, defaultStep(kind, draft, at)));
  selectStep(at);
}

export function changeStepKind(index: number, kind: string): void {
  const draft = get().history.present;
  const old = stepsOf(draft)[index];
  editDraft(setAt(draft, ['steps', index], defaultStep(kind, draft, index, old)));
}

export function changeCall(index: number, call: string): void {
  const draft = get().history.present;
  const old = stepsOf(draft)[index];
  const step = old !== null && typeof old === 'object' ? (old as Record<string, unknown>) : { kind: 'linux.call' };
  editDraft(setAt(draft, ['steps', index], withCall(step, call, draft, index)));
}

