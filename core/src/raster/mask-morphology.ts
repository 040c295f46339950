// Binary masks as Uint8Array (1 = set), row-major, width × height.
import { labelComponents } from './mask-polygons.js';

export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

export function thresholdMask(prob: Float32Array, width: number, height: number, threshold: number): Mask {
  if (prob.length !== width * height) throw new Error(`mask has ${prob.length} values, expected ${width}×${height}`);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = prob[i]! >= threshold ? 1 : 0;
  return { data, width, height };
}

// 3×3 square structuring element, done as a 3-wide pass along rows and then along columns (the square
// is separable); pixels beyond the border repeat the edge pixel.
function morph3x3(mask: Mask, erodeMode: boolean): Mask {
  const { data, width, height } = mask;
  const n = data.length;
  // Whole-array passes without a branch per pixel; the first and last pixel of each row (column pass:
  // the first and last row) are then redone with the edge pixel repeated.
  const rows = new Uint8Array(n);
  const out = new Uint8Array(n);
  if (erodeMode) {
    for (let i = 1; i < n - 1; i++) rows[i] = data[i - 1]! & data[i]! & data[i + 1]!;
  } else {
    for (let i = 1; i < n - 1; i++) rows[i] = data[i - 1]! | data[i]! | data[i + 1]!;
  }
  for (let row = 0; row < n; row += width) {
    const last = row + width - 1;
    const [l0, c0, r0] = [data[row]!, data[row]!, data[Math.min(row + 1, last)]!];
    const [l1, c1, r1] = [data[Math.max(last - 1, row)]!, data[last]!, data[last]!];
    rows[row] = erodeMode ? l0 & c0 & r0 : l0 | c0 | r0;
    rows[last] = erodeMode ? l1 & c1 & r1 : l1 | c1 | r1;
  }
  if (erodeMode) {
    for (let i = width; i < n - width; i++) out[i] = rows[i - width]! & rows[i]! & rows[i + width]!;
  } else {
    for (let i = width; i < n - width; i++) out[i] = rows[i - width]! | rows[i]! | rows[i + width]!;
  }
  const down = height > 1 ? width : 0;
  for (let x = 0; x < width; x++) {
    const top = rows[x]! & rows[x + down]!;
    const bottom = rows[n - width + x]! & rows[n - width + x - down]!;
    out[x] = erodeMode ? top : rows[x]! | rows[x + down]!;
    out[n - width + x] = erodeMode ? bottom : rows[n - width + x]! | rows[n - width + x - down]!;
  }
  return { data: out, width, height };
}

export const erode = (mask: Mask): Mask => morph3x3(mask, true);
export const dilate = (mask: Mask): Mask => morph3x3(mask, false);

/** The smallest box holding every set pixel, or null for an empty mask. */
function setBounds({ data, width, height }: Mask): { x0: number; y0: number; x1: number; y1: number } | null {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Closing first fills pinholes and gaps of 1–2 px (a roof with a dark skylight stays whole), then
 * opening removes specks thinner than 3 px.
 */
export function cleanMask(mask: Mask): Mask {
  const out = { data: new Uint8Array(mask.width * mask.height), width: mask.width, height: mask.height };
  const box = setBounds(mask);
  if (!box) return out;
  // The four 3×3 steps reach 4 px, so nothing outside the set pixels' box grown by 4 px can change:
  // only that part is worked on, and the result pasted back (identical to working on the whole mask).
  const reach = 4;
  const x0 = Math.max(0, box.x0 - reach);
  const y0 = Math.max(0, box.y0 - reach);
  const x1 = Math.min(mask.width, box.x1 + reach);
  const y1 = Math.min(mask.height, box.y1 + reach);
  const part = crop(mask, x0, y0, x1 - x0, y1 - y0);
  // Working on a copy padded with the edge pixels keeps an object that touches the window's edge from
  // being eaten away there (it continues in the neighbouring window), while a speck near the edge
  // cannot grow into the border and survive.
  const padded = padReplicate(part, reach);
  const cleaned = crop(dilate(erode(erode(dilate(padded)))), reach, reach, part.width, part.height);
  for (let y = 0; y < cleaned.height; y++) {
    out.data.set(cleaned.data.subarray(y * cleaned.width, (y + 1) * cleaned.width), (y + y0) * out.width + x0);
  }
  return out;
}

function padReplicate(mask: Mask, pad: number): Mask {
  const width = mask.width + 2 * pad;
  const height = mask.height + 2 * pad;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(y - pad, 0), mask.height - 1);
    for (let x = 0; x < width; x++) {
      data[y * width + x] = mask.data[sy * mask.width + Math.min(Math.max(x - pad, 0), mask.width - 1)]!;
    }
  }
  return { data, width, height };
}

function crop(mask: Mask, left: number, top: number, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + top) * mask.width + left;
    data.set(mask.data.subarray(from, from + width), y * width);
  }
  return { data, width, height };
}

const repeat = (mask: Mask, times: number, step: (m: Mask) => Mask): Mask => {
  let out = mask;
  for (let i = 0; i < times; i++) out = step(out);
  return out;
};

/** Opening with a (2r+1)-pixel square: r 3×3 erosions, then r dilations; removes specks thinner than 2r+1. */
export const openMask = (mask: Mask, r: number): Mask => repeat(repeat(mask, r, erode), r, dilate);

/** Closing with a (2r+1)-pixel square: fills gaps narrower than 2r+1. */
export const closeMask = (mask: Mask, r: number): Mask => repeat(repeat(mask, r, dilate), r, erode);

/** The mask without its 4-connected components of fewer than `minPixels` pixels. */
export function dropSmall(mask: Mask, minPixels: number): Mask {
  const { labels, count } = labelComponents(mask);
  const sizes = new Int32Array(count + 1);
  for (const l of labels) if (l) sizes[l]!++;
  const data = new Uint8Array(mask.data.length);
  for (let i = 0; i < data.length; i++) data[i] = labels[i] && sizes[labels[i]!]! >= minPixels ? 1 : 0;
  return { data, width: mask.width, height: mask.height };
}
