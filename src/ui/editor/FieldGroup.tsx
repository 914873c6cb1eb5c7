/**
 * A group of fields with the optional ones that are not set folded away
 * ("11 more fields"), so a step or a PCI device shows what it uses. Which
 * fields are folded is decided when the group appears and then kept: a field
 * being typed into never jumps out from under the cursor.
 */
import { useState } from 'react';
import type { Path } from './draft.ts';
import { FieldInput } from './FieldInput.tsx';
import type { FieldDescriptor } from './schemaFields.ts';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

interface Props {
  readonly fields: readonly FieldDescriptor[];
  readonly path: Path;
  readonly value: unknown;
}

export function FieldGroup({ fields, path, value }: Props) {
  const object = record(value);
  const [folded] = useState(() => new Set(fields.filter((d) => d.optional && object[d.key] === undefined && d.key !== 'note').map((d) => d.key)));
  const shown = fields.filter((d) => !folded.has(d.key));
  const hidden = fields.filter((d) => folded.has(d.key));
  return (
    <>
      {shown.map((d) => <FieldInput key={d.key} descriptor={d} path={[...path, d.key]} value={object[d.key]} />)}
      {hidden.length > 0 && (
        <details className="ed-more">
          <summary>
            {hidden.length} more optional field{hidden.length === 1 ? '' : 's'}: <span className="mono">{hidden.map((d) => d.key).join(', ')}</span>
          </summary>
          <div className="ed-fields">
            {hidden.map((d) => <FieldInput key={d.key} descriptor={d} path={[...path, d.key]} value={object[d.key]} />)}
          </div>
        </details>
      )}
    </>
  );
}
