import type { Rng } from '../prng.js';
import { Canvas, Layer, scanConvex, scanDisc, valueNoise, type Pt, type Rgb } from './raster.js';
import type { Building, Car, Patch, Rect, Scene, Tree } from './scene.js';

/** What differs between two acquisitions of the same place, besides the sensor. */
export interface Conditions {
  /** direction of the sun, radians clockwise from north (image up) */
  sunAzimuth: number;
  /** sun height above the horizon, radians */
  sunElevation: number;
  /** 0 = high summer, 1 = winter */
  season: number;
  /** how much of the light a shadow removes */
  shadowStrength: number;
}

export interface Frame {
  /** canvas side in pixels */
  size: number;
  mpp: number;
}

/** Maps layout pixels to canvas pixels: the layout square is centred on the canvas and rotated. */
export function layoutToCanvas(scene: Scene, frame: Frame): (x: number, y: number) => Pt {
  const c = Math.cos(scene.angle);
  const s = Math.sin(scene.angle);
  const h = scene.extent / 2;
  const k = frame.size / 2;
  return (x, y) => [k + c * (x - h) - s * (y - h), k + s * (x - h) + c * (y - h)];
}

export function rectPoly(r: Rect, t: (x: number, y: number) => Pt): Pt[] {
  return [t(r.x0, r.y0), t(r.x1, r.y0), t(r.x1, r.y1), t(r.x0, r.y1)];
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

export function renderScene(
  scene: Scene,
  buildings: readonly Building[],
  trees: readonly Tree[],
  cars: readonly Car[],
  cond: Conditions,
  frame: Frame,
  rng: Rng,
  /** drawn over the scene's own patches (land cover that differs between the dates) */
  extraPatches: readonly Patch[] = [],
): Canvas {
  const { size, mpp } = frame;
  const canvas = new Canvas(size, size);
  const t = layoutToCanvas(scene, frame);
  const coarse = valueNoise(rng, size, size, 7);
  const fine = valueNoise(rng, size, size, 1.5);
  const light = 0.75 + 0.3 * Math.sin(cond.sunElevation);
  const sun = [Math.sin(cond.sunAzimuth) * Math.cos(cond.sunElevation), -Math.cos(cond.sunAzimuth) * Math.cos(cond.sunElevation), Math.sin(cond.sunElevation)] as const;
  const put = (x: number, y: number, c: Rgb, k: number): void => {
    const i = (y * size + x) * 3;
    canvas.data[i] = c[0] * k;
    canvas.data[i + 1] = c[1] * k;
    canvas.data[i + 2] = c[2] * k;
  };

  const groundTex = (x: number, y: number, amp: number): number => light * (1 + amp * coarse[y * size + x]! + amp * 0.5 * fine[y * size + x]!);
  const ground = mix(scene.ground, [150, 135, 105], cond.season * 0.2);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, ground, groundTex(x, y, 0.12));
  for (const p of [...scene.patches, ...extraPatches]) {
    const veg = p.kind === 'lawn' || p.kind === 'scrub' || p.kind === 'field';
    const colour = veg ? mix(p.colour, [135, 120, 85], cond.season * (p.kind === 'field' ? 0.4 : 0.7)) : p.colour;
    const amp = p.texture ?? (p.kind === 'water' ? 0.03 : p.kind === 'road' ? 0.05 : veg ? 0.18 : 0.1);
    const rows = p.rows;
    const rowLen = rows ? (rows.alongX ? p.rect.y1 - p.rect.y0 : p.rect.x1 - p.rect.x0) / rows.period : 0;
    scanConvex(rectPoly(p.rect, t), size, size, (x, y, u, v) => {
      const k = rows ? 1 + rows.contrast * Math.sin(2 * Math.PI * (rows.alongX ? v : u) * rowLen) : 1;
      put(x, y, colour, k * groundTex(x, y, amp));
    });
  }

  // Shadows fall on the ground only; roofs are drawn over them.
  const shadow = new Layer(size, size);
  const away: Pt = [-Math.sin(cond.sunAzimuth) / Math.tan(cond.sunElevation) / mpp, Math.cos(cond.sunAzimuth) / Math.tan(cond.sunElevation) / mpp];
  for (const b of buildings) {
    const poly = rectPoly(b.rect, t);
    const moved = poly.map(([x, y]) => [x + away[0] * b.height, y + away[1] * b.height] as Pt);
    scanConvex(convexHull([...poly, ...moved]), size, size, (x, y) => (shadow.data[y * size + x] = 1));
  }
  for (const tr of trees) {
    const [cx, cy] = t(tr.x, tr.y);
    const r = tr.r * (1 - 0.25 * cond.season);
    scanDisc(cx + away[0] * tr.height * 0.8, cy + away[1] * tr.height * 0.8, r, size, size, (x, y) => (shadow.data[y * size + x] = Math.max(shadow.data[y * size + x]!, 0.8)));
  }
  for (let i = 0; i < shadow.data.length; i++) {
    const k = 1 - cond.shadowStrength * shadow.data[i]!;
    if (k === 1) continue;
    canvas.data[i * 3] = canvas.data[i * 3]! * k;
    canvas.data[i * 3 + 1] = canvas.data[i * 3 + 1]! * k;
    canvas.data[i * 3 + 2] = canvas.data[i * 3 + 2]! * Math.min(1, k * 1.08);
  }

  const c = Math.cos(scene.angle);
  const s = Math.sin(scene.angle);
  const facet = (nx: number, ny: number, pitch: number): number => {
    const hx = c * nx - s * ny;
    const hy = s * nx + c * ny;
    const d = Math.sin(pitch) * (hx * sun[0] + hy * sun[1]) + Math.cos(pitch) * sun[2];
    return 0.55 + 0.55 * Math.max(-0.3, d);
  };
  const flat = facet(0, 0, 0);
  for (const b of buildings) {
    const w = (b.rect.x1 - b.rect.x0) * mpp;
    const h = (b.rect.y1 - b.rect.y0) * mpp;
    scanConvex(rectPoly(b.rect, t), size, size, (x, y, u, v) => {
      let k = flat;
      const tex = 1 + 0.07 * coarse[y * size + x]! + 0.06 * fine[y * size + x]!;
      if (b.roof === 'pitched' || b.roof === 'hipped') {
        const a = b.ridgeAlongX ? v : u;
        const sideMetres = (b.ridgeAlongX ? h : w) * Math.abs(a - 0.5);
        const endMetres = (b.ridgeAlongX ? w : h) * Math.min(b.ridgeAlongX ? u : v, 1 - (b.ridgeAlongX ? u : v));
        if (b.roof === 'hipped' && endMetres < (b.ridgeAlongX ? h : w) / 2 - sideMetres) {
          const sign = (b.ridgeAlongX ? u : v) < 0.5 ? -1 : 1;
          k = b.ridgeAlongX ? facet(sign, 0, 0.5) : facet(0, sign, 0.5);
        } else {
          const sign = a < 0.5 ? -1 : 1;
          k = b.ridgeAlongX ? facet(0, sign, 0.5) : facet(sign, 0, 0.5);
        }
        if (sideMetres < 0.25) k *= 0.85;
      } else {
        const edge = Math.min(u * w, (1 - u) * w, v * h, (1 - v) * h);
        if (edge < 0.6) k *= 1.12;
        if (b.roof === 'corrugated') k *= 1 + 0.1 * Math.sin(((b.ridgeAlongX ? v * h : u * w) * 2 * Math.PI) / 1.2);
      }
      put(x, y, b.colour, k * light * tex);
    });
  }

  for (const tr of trees) {
    const [cx, cy] = t(tr.x, tr.y);
    const r = tr.r * (1 - 0.25 * cond.season);
    const colour = mix([55, 85, 40], [105, 95, 65], cond.season);
    scanDisc(cx, cy, r, size, size, (x, y, d) => {
      const nx = (x + 0.5 - cx) / r;
      const ny = (y + 0.5 - cy) / r;
      const nz = Math.sqrt(Math.max(0, 1 - d * d));
      const k = 0.5 + 0.6 * Math.max(0, nx * sun[0] + ny * sun[1] + nz * sun[2]);
      put(x, y, colour, k * light * (1 + 0.25 * fine[y * size + x]!));
    });
  }

  for (const car of cars) {
    const long = car.rect.x1 - car.rect.x0 > car.rect.y1 - car.rect.y0;
    scanConvex(rectPoly(car.rect, t), size, size, (x, y, u, v) => {
      const a = long ? u : v;
      put(x, y, car.colour, (a > 0.25 && a < 0.4 ? 0.45 : 1) * light);
    });
  }
  return canvas;
}

/** Rasterises building footprints into a 0/255 mask; returns each footprint's pixel bbox (null when outside). */
export function renderMask(
  scene: Scene,
  buildings: readonly Building[],
  frame: Frame,
  crop: { x: number; y: number; size: number },
): { mask: Uint8Array; boxes: ([number, number, number, number] | null)[] } {
  const mask = new Uint8Array(crop.size * crop.size);
  const t = layoutToCanvas(scene, frame);
  const boxes = buildings.map((b) => {
    let box: [number, number, number, number] | null = null;
    scanConvex(rectPoly(b.rect, t), frame.size, frame.size, (x, y) => {
      const cx = x - crop.x;
      const cy = y - crop.y;
      if (cx < 0 || cy < 0 || cx >= crop.size || cy >= crop.size) return;
      mask[cy * crop.size + cx] = 255;
      if (!box) box = [cx, cy, cx, cy];
      else box = [Math.min(box[0], cx), Math.min(box[1], cy), Math.max(box[2], cx), Math.max(box[3], cy)];
    });
    return box;
  });
  return { mask, boxes };
}

function convexHull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Pt[] = [];
  for (const q of p.reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
