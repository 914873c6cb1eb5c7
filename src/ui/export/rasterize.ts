/**
 * An exported SVG drawn onto a canvas and saved as PNG, with the same
 * payload in an iTXt chunk. Chromium draws an SVG image holding a
 * <foreignObject> without tainting the canvas when the image is
 * self-contained (no external resources), which ours is; a browser that
 * does taint it makes toBlob throw, and the caller says PNG is unavailable.
 */
import { PNG_KEYWORD } from './payload.ts';
import { withPngText } from './pngText.ts';

/** Canvas limits vary by browser; these stay inside all current ones. */
const MAX_PIXELS = 24_000_000;
const MAX_SIDE = 16_000;

export function pngScale(width: number, height: number, wanted = 2): number {
  return Math.max(0.1, Math.min(wanted, Math.sqrt(MAX_PIXELS / (width * height)), MAX_SIDE / Math.max(width, height)));
}

export async function rasterizeSvg(svg: string, width: number, height: number, payload: string): Promise<Blob> {
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = pngScale(width, height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser gives no 2-D canvas to draw the PNG on');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const png = await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png');
    });
    const bytes = new Uint8Array(await png.arrayBuffer());
    return new Blob([withPngText(bytes, PNG_KEYWORD, payload) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
  }
}

/** Offers the blob as a download under `name`; nothing leaves the machine. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own reference by now; a minute is generous for slow disks.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a title: lowercase letters, digits and dashes. */
export function fileStem(text: string): string {
  const stem = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem === '' ? 'iommu-visualizer' : stem;
}
