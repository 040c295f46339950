// Binary masks as Uint8Array (1 = set), row-major, width × height.

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
  const pick = erodeMode ? (a: number, b: number, c: number) => a & b & c : (a: number, b: number, c: number) => a | b | c;
  const rows = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      rows[row + x] = pick(data[row + (x > 0 ? x - 1 : x)]!, data[row + x]!, data[row + (x < width - 1 ? x + 1 : x)]!);
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const row = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) out[row + x] = pick(rows[up + x]!, rows[row + x]!, rows[down + x]!);
  }
  return { data: out, width, height };
}

export const erode = (mask: Mask): Mask => morph3x3(mask, true);
export const dilate = (mask: Mask): Mask => morph3x3(mask, false);

/**
 * Closing first fills pinholes and gaps of 1–2 px (a roof with a dark skylight stays whole), then
 * opening removes specks thinner than 3 px.
 */
export function cleanMask(mask: Mask): Mask {
  // Working on a copy padded with the edge pixels keeps an object that touches the window's edge from
  // being eaten away there (it continues in the neighbouring window), while a speck near the edge
  // cannot grow into the border and survive.
  const pad = 4;
  const padded = padReplicate(mask, pad);
  return crop(dilate(erode(erode(dilate(padded)))), pad, mask.width, mask.height);
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

function crop(mask: Mask, pad: number, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    data.set(mask.data.subarray((y + pad) * mask.width + pad, (y + pad) * mask.width + pad + width), y * width);
  }
  return { data, width, height };
}
