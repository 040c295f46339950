/** Binary morphology and connected components on 0/1 masks (width × height, row-major). */
import { labelComponents } from '../raster/mask-polygons.js';

/** Square structuring element of side 2r+1; erosion treats outside pixels as set so borders do not shrink. */
export function erode(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(mask, width, height, r, true);
}

export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(mask, width, height, r, false);
}

export const open = (m: Uint8Array, w: number, h: number, r: number): Uint8Array => dilate(erode(m, w, h, r), w, h, r);
export const close = (m: Uint8Array, w: number, h: number, r: number): Uint8Array => erode(dilate(m, w, h, r), w, h, r);

function squareFilter(mask: Uint8Array, width: number, height: number, r: number, isErode: boolean): Uint8Array {
  // Separable: a square min/max is a row pass then a column pass.
  const tmp = new Uint8Array(mask.length);
  const out = new Uint8Array(mask.length);
  const pass = (src: Uint8Array, dst: Uint8Array, horizontal: boolean): void => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = isErode ? 1 : 0;
        for (let k = -r; k <= r; k++) {
          const sx = horizontal ? x + k : x;
          const sy = horizontal ? y : y + k;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          const s = src[sy * width + sx]!;
          if (isErode && !s) {
            v = 0;
            break;
          }
          if (!isErode && s) {
            v = 1;
            break;
          }
        }
        dst[y * width + x] = v;
      }
    }
  };
  pass(mask, tmp, true);
  pass(tmp, out, false);
  return out;
}

/** 4-connected components: a label per pixel (0 = background, 1…n) and each component's pixel count. */
export function components(mask: Uint8Array, width: number, height: number): { labels: Int32Array; sizes: number[] } {
  const { labels, count } = labelComponents({ data: mask, width, height });
  const sizes = new Array<number>(count + 1).fill(0);
  for (const l of labels) if (l) sizes[l]!++;
  return { labels, sizes };
}

/** Drops components smaller than minPixels. */
export function removeSmall(mask: Uint8Array, width: number, height: number, minPixels: number): Uint8Array {
  const { labels, sizes } = components(mask, width, height);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = labels[i] && sizes[labels[i]!]! >= minPixels ? 1 : 0;
  return out;
}
