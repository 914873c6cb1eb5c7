/**
 * The input address as a bar of its bits, split into one coloured field per
 * level and the page offset, each labelled with its bit range and value.
 */
import type { AddressField } from './walkLayout.ts';
import { WALK_GEOMETRY as G } from './walkLayout.ts';
import { levelClass } from '../format.ts';

function fieldClass(field: AddressField): string {
  const colour = field.level === undefined ? 'offset' : levelClass(field.level);
  return `field ${colour} field-${field.state}`;
}

function stateNote(field: AddressField): string | undefined {
  if (field.state === 'in-offset') return 'part of the offset';
  if (field.state === 'not-reached') return 'not reached';
  return undefined;
}

export function AddressBar({ fields }: { fields: readonly AddressField[] }) {
  const barY = G.barTop;
  return (
    <g className="address-bar">
      {fields.map((field, i) => {
        const centre = field.x + field.width / 2;
        const note = stateNote(field);
        return (
          <g key={field.key} className={fieldClass(field)} data-field={field.key}>
            <rect className="field-rect" x={field.x} y={barY} width={field.width} height={G.barHeight}
              rx={i === 0 || i === fields.length - 1 ? 6 : 0} />
            <text className="bit-number" x={field.x + 4} y={barY - 6}>{field.msb}</text>
            {field.msb !== field.lsb && (
              <text className="bit-number" x={field.x + field.width - 4} y={barY - 6} textAnchor="end">{field.lsb}</text>
            )}
            {field.digits.map((digit) => (
              <text key={digit.bit} className="bit-digit" x={digit.x} y={barY + G.barHeight / 2} textAnchor="middle" dominantBaseline="central">
                {digit.one ? '1' : '0'}
              </text>
            ))}
            <text className="field-label" x={centre} y={G.fieldLabelTop} textAnchor="middle">{field.label}</text>
            <text className="field-value" x={centre} y={G.fieldLabelTop + 19} textAnchor="middle">= {field.valueText}</text>
            {note && <text className="field-note" x={centre} y={G.fieldLabelTop + 37} textAnchor="middle">{note}</text>}
          </g>
        );
      })}
    </g>
  );
}
