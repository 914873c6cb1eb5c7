/**
 * What every input of the form needs besides its own value: the parser's
 * messages placed by path (issuePlacement.ts), and the names earlier steps
 * made, for completion.
 */
import { createContext, useContext } from 'react';
import type { ScenarioIssue } from '../../scenario/index.ts';
import type { KnownNames } from './stepDefaults.ts';

const NONE: readonly ScenarioIssue[] = [];

export const IssuesContext = createContext<ReadonlyMap<string, readonly ScenarioIssue[]>>(new Map());

export const NamesContext = createContext<KnownNames>({ table: [], device: [], domain: [], viommu: [], mm: [] });

export function useIssuesAt(path: string): readonly ScenarioIssue[] {
  return useContext(IssuesContext).get(path) ?? NONE;
}

/** The messages for one input, under it; the input names this list in aria-describedby. */
export function IssueMessages({ path, id }: { readonly path: string; readonly id: string }) {
  const issues = useIssuesAt(path);
  if (issues.length === 0) return null;
  return (
    <ul className="ed-issues" id={id} data-testid="field-issues">
      {issues.map((issue, i) => (
        <li key={i}>
          {issue.path !== path && issue.path !== '' ? <span className="mono">{issue.path.slice(path.length).replace(/^\./, '')}: </span> : null}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}
