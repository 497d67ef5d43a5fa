import type { ImageDecoder } from './imageFiles';

/** The source rectangle of a center crop of a sw×sh image to the aspect of w×h. */
export function coverCrop(
  sw: number,
  sh: number,
  w: number,
  h: number,
): { x: number; y: number; width: number; height: number } {
  const scale = Math.max(w / sw, h / sh);
  const width = Math.min(sw, w / scale);
  const height = Math.min(sh, h / scale);
  return { x: (sw - width) / 2, y: (sh - height) / 2, width, height };
}

/**
 * Decodes images in a worker with createImageBitmap and draws them on an OffscreenCanvas: no DOM, no
 * blob: URLs, so it runs under the app's CSP. Pixel values are kept as stored (no colour-space conversion).
 */
export function browserImageDecoder(): ImageDecoder {
  let canvas: OffscreenCanvas | null = null;
  let ctx: OffscreenCanvasRenderingContext2D | null = null;

  function context(w: number, h: number): OffscreenCanvasRenderingContext2D {
    if (canvas === null || ctx === null || canvas.width !== w || canvas.height !== h) {
      canvas = new OffscreenCanvas(w, h);
      ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
      if (ctx === null) throw new Error('2D canvas is not available in this worker');
    }
    return ctx;
  }

  return {
    async size(blob) {
      const bmp = await createImageBitmap(blob);
      const size = { width: bmp.width, height: bmp.height };
      bmp.close();
      return size;
    },
    async rgba(blob, w, h) {
      const bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none' });
      try {
        const c = context(w, h);
        const crop = coverCrop(bmp.width, bmp.height, w, h);
        c.fillStyle = '#fff';
        c.fillRect(0, 0, w, h);
        c.imageSmoothingEnabled = true;
        c.imageSmoothingQuality = 'high';
        c.drawImage(bmp, crop.x, crop.y, crop.width, crop.height, 0, 0, w, h);
        return c.getImageData(0, 0, w, h).data;
      } finally {
        bmp.close();
      }
    },
  };
}
