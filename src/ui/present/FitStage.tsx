/**
 * The presenter's diagram, laid out at a fixed width as on a laptop and
 * scaled to fill the screen like a slide: larger type on a big screen, the
 * whole diagram in view when it fits. A diagram too tall for that is never
 * drawn smaller than on the laptop (unless the screen is narrower than the
 * layout): it scrolls instead. The user's zoom (+ / -) multiplies the fit.
 */
import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';

/** The width the views are laid out at (the normal page's diagram at 1280 px). */
export const LAYOUT_WIDTH = 1120;
const MAX_FIT = 2;
/** The stage's padding (presenter.css), left + right and top + bottom. */
const PAD_X = 48;
const PAD_Y = 28;

export function FitStage({ zoom, children, stepKey }: { readonly zoom: number; readonly children: ReactNode; readonly stepKey: number }) {
  const area = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0, content: 0 });

  useLayoutEffect(() => {
    const a = area.current;
    const i = inner.current;
    if (!a || !i) return;
    // offsetHeight ignores the transform, so this is the unscaled height.
    const measure = () => setSize({ width: a.clientWidth - PAD_X, height: a.clientHeight - PAD_Y, content: i.offsetHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(a);
    observer.observe(i);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    // Each step starts at the top of its diagram.
    area.current?.scrollTo?.({ top: 0 });
  }, [stepKey]);

  const fitWidth = size.width > 0 ? size.width / LAYOUT_WIDTH : 1;
  const fitHeight = size.content > 0 ? size.height / size.content : fitWidth;
  const scale = Math.min(Math.max(Math.min(fitWidth, fitHeight), Math.min(1, fitWidth)), MAX_FIT) * zoom;
  return (
    <div className="presenter-stage" ref={area}>
      <div className="presenter-fit" style={{ width: LAYOUT_WIDTH * scale, height: size.content * scale }}>
        <div className="presenter-zoom" ref={inner} style={{ width: LAYOUT_WIDTH, transform: `scale(${scale})` }} id="stage-panel" aria-label="Diagram"
          data-scale={scale.toFixed(3)}>
          {children}
        </div>
      </div>
    </div>
  );
}
