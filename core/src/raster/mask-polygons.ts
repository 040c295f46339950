import type { Mask } from './mask-morphology.js';

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
