// The one mask path of change detection: probabilities → threshold → clean (morphology) → connected components
// → area floor → polygons. Binary masks are Uint8Array (1 = set), row-major, width × height.

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

export type Ring = [number, number][];

export interface MaskComponent {
  /** Rings in pixel-corner coordinates: the first is the outline, the rest are holes. */
  rings: Ring[];
  pixels: number;
  meanScore: number;
  maxScore: number;
}

/** Labels 4-connected components; returns the label image (0 = background) and the component count. */
export function labelComponents(mask: Mask): { labels: Int32Array; count: number } {
  const { data, width } = mask;
  const n = data.length;
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (!data[start] || labels[start]) continue;
    labels[start] = ++count;
    let top = 0;
    stack[top++] = start;
    while (top) {
      const i = stack[--top]!;
      const x = i % width;
      if (x > 0 && data[i - 1] && !labels[i - 1]) (labels[i - 1] = count), (stack[top++] = i - 1);
      if (x < width - 1 && data[i + 1] && !labels[i + 1]) (labels[i + 1] = count), (stack[top++] = i + 1);
      if (i >= width && data[i - width] && !labels[i - width]) (labels[i - width] = count), (stack[top++] = i - width);
      if (i + width < n && data[i + width] && !labels[i + width]) (labels[i + width] = count), (stack[top++] = i + width);
    }
  }
  return { labels, count };
}

/** Pixel bounds of a component: x0/y0 inclusive, x1/y1 exclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Traces the boundary of one labelled component along pixel edges. Each boundary edge is directed so
 * the component lies on its right (clockwise outline in image coordinates); edges are chained into
 * closed rings, turning right first at a vertex where two components pixels only touch diagonally, so
 * that rings never cross.
 */
export function traceRings(
  labels: Int32Array,
  width: number,
  height: number,
  label: number,
  box: Box = { x0: 0, y0: 0, x1: width, y1: height },
): Ring[] {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === label;
  const key = (x: number, y: number) => y * (width + 1) + x;
  const outgoing = new Map<number, [number, number][]>();
  const addEdge = (x0: number, y0: number, x1: number, y1: number) => {
    const k = key(x0, y0);
    const list = outgoing.get(k);
    if (list) list.push([x1, y1]);
    else outgoing.set(k, [[x1, y1]]);
  };
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (labels[y * width + x] !== label) continue;
      if (!inside(x, y - 1)) addEdge(x, y, x + 1, y);
      if (!inside(x + 1, y)) addEdge(x + 1, y, x + 1, y + 1);
      if (!inside(x, y + 1)) addEdge(x + 1, y + 1, x, y + 1);
      if (!inside(x - 1, y)) addEdge(x, y + 1, x, y);
    }
  }
  const rings: Ring[] = [];
  for (const [startKey, starts] of outgoing) {
    while (starts.length) {
      const sx = startKey % (width + 1);
      const sy = Math.floor(startKey / (width + 1));
      const ring: Ring = [[sx, sy]];
      let [px, py] = [sx, sy];
      let [cx, cy] = starts.pop()!;
      while (cx !== sx || cy !== sy) {
        ring.push([cx, cy]);
        const options = outgoing.get(key(cx, cy))!;
        const pick = options.length === 1 ? 0 : rightTurnIndex(px, py, cx, cy, options);
        const [nx, ny] = options.splice(pick, 1)[0]!;
        [px, py, cx, cy] = [cx, cy, nx, ny];
      }
      ring.push([sx, sy]);
      rings.push(removeCollinear(ring));
    }
  }
  rings.sort((a, b) => Math.abs(signedArea(b)) - Math.abs(signedArea(a)));
  return rings;
}

function rightTurnIndex(px: number, py: number, cx: number, cy: number, options: [number, number][]): number {
  const [dx, dy] = [cx - px, cy - py];
  // In image coordinates (y down) a right turn of (dx, dy) is (-dy, dx).
  const i = options.findIndex(([nx, ny]) => nx - cx === -dy && ny - cy === dx);
  return i >= 0 ? i : 0;
}

export function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum / 2;
}

function removeCollinear(ring: Ring): Ring {
  const pts = ring.slice(0, -1);
  const out: Ring = [];
  for (let i = 0; i < pts.length; i++) {
    const prev = pts[(i - 1 + pts.length) % pts.length]!;
    const cur = pts[i]!;
    const next = pts[(i + 1) % pts.length]!;
    const cross = (cur[0] - prev[0]) * (next[1] - cur[1]) - (cur[1] - prev[1]) * (next[0] - cur[0]);
    if (cross !== 0) out.push(cur);
  }
  out.push(out[0]!);
  return out;
}

/**
 * Every component of at least `minPixels` pixels, with its outline, holes and score statistics. With
 * `keepAtEdge`, smaller components that touch the mask's edge are kept too (they may continue beyond it).
 */
export function maskComponents(mask: Mask, scores: Float32Array, minPixels: number, keepAtEdge = false): MaskComponent[] {
  const { width, height } = mask;
  const { labels, count } = labelComponents(mask);
  const stats = Array.from({ length: count + 1 }, () => ({ pixels: 0, sum: 0, max: 0, box: { x0: width, y0: height, x1: 0, y1: 0 } }));
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!l) continue;
    const s = stats[l]!;
    s.pixels++;
    s.sum += scores[i]!;
    if (scores[i]! > s.max) s.max = scores[i]!;
    const x = i % width;
    const y = (i - x) / width;
    const b = s.box;
    if (x < b.x0) b.x0 = x;
    if (x >= b.x1) b.x1 = x + 1;
    if (y < b.y0) b.y0 = y;
    if (y >= b.y1) b.y1 = y + 1;
  }
  const atEdge = (b: Box) => b.x0 === 0 || b.y0 === 0 || b.x1 === width || b.y1 === height;
  const out: MaskComponent[] = [];
  for (let l = 1; l <= count; l++) {
    const s = stats[l]!;
    if (s.pixels < minPixels && !(keepAtEdge && atEdge(s.box))) continue;
    out.push({ rings: traceRings(labels, width, height, l, s.box), pixels: s.pixels, meanScore: s.sum / s.pixels, maxScore: s.max });
  }
  return out;
}

/**
 * Douglas–Peucker on a closed ring: removes the stair steps that pixel edges leave on slanted walls.
 * Rings that would collapse below a triangle are returned unchanged.
 */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 5) return ring;
  // Split at the vertex farthest from the first so both halves are open polylines.
  const first = ring[0]!;
  let far = 1;
  let farDist = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = (ring[i]![0] - first[0]) ** 2 + (ring[i]![1] - first[1]) ** 2;
    if (d > farDist) [far, farDist] = [i, d];
  }
  const a = simplifyLine(ring.slice(0, far + 1), tolerance);
  const b = simplifyLine(ring.slice(far), tolerance);
  const out = [...a.slice(0, -1), ...b];
  return out.length >= 4 ? out : ring;
}

function simplifyLine(points: Ring, tolerance: number): Ring {
  if (points.length <= 2) return points;
  const [ax, ay] = points[0]!;
  const [bx, by] = points[points.length - 1]!;
  const len = Math.hypot(bx - ax, by - ay);
  let index = 0;
  let max = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i]!;
    const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
    if (d > max) [index, max] = [i, d];
  }
  if (max <= tolerance) return [points[0]!, points[points.length - 1]!];
  return [...simplifyLine(points.slice(0, index + 1), tolerance).slice(0, -1), ...simplifyLine(points.slice(index), tolerance)];
}
