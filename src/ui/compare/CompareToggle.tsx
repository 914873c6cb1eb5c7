/** The button that opens the SMMUv3 / VT-d comparison, shown for scenarios that boot Linux. */
import { useAppStore } from '../../store/appStore.ts';
import './compare.css';

export function CompareToggle({ onCompare }: { readonly onCompare: (open: boolean) => void }) {
  const bootsLinux = useAppStore((s) => s.outline?.steps.some((step) => step.kind === 'linux.boot') ?? false);
  if (!bootsLinux) return null;
  return (
    <div className="cmp-toggle-bar">
      <button type="button" className="button" onClick={() => onCompare(true)} data-testid="compare-open">
        Compare SMMUv3 / VT-d
      </button>
    </div>
  );
}
