/**
 * What the engine caught at this step (a broken transition invariant, an
 * isolation breach, a domain freed while in use): shown first, in the error
 * colour, with the rule's name and the engine's sentence.
 */
import type { LinuxFinding } from '../../engine/index.ts';

const RULE_WORDS: Readonly<Record<string, string>> = {
  'transition-invariant': 'Transition invariant broken',
  'mixed-entry': 'Torn STE/CD',
  isolation: 'Isolation breach',
  'free-while-attached': 'Domain freed while in use',
  'aliasing-streamid': 'Aliasing StreamID',
};

export function FindingsBanner({ findings }: { findings: readonly LinuxFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <section className="findings" role="status" aria-live="polite" aria-label="Findings" data-testid="findings">
      <h3 className="findings-title">{findings.length === 1 ? 'The engine caught a problem' : `The engine caught ${findings.length} problems`}</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i} data-rule={f.rule}>
            <strong>{RULE_WORDS[f.rule] ?? f.rule}</strong> <code className="finding-rule">{f.rule}</code>
            {f.checkpoint !== undefined && <span className="finding-where"> at checkpoint {f.checkpoint}</span>}
            <p>{f.message}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
