import type { Rng } from '../prng.js';
import type { Rgb } from './raster.js';
import { jitter, overlaps, rectH, rectW, type Building, type Patch, type Rect, type Scene, type Tree } from './scene.js';

/** What a large area looks like at one date, drawn over the scene's own ground and patches. */
export interface LandCover {
  patches: Patch[];
  buildings: Building[];
  trees: Tree[];
}

/** A greenfield development: open land in the before image, a block of new buildings and roads in the after. */
export interface Development {
  region: Rect;
  before: LandCover;
  /** `after.buildings` are all new and all labelled as change */
  after: LandCover;
}

export type Layout = 'houses' | 'terraces' | 'slabs' | 'sheds';

type M = (metres: number) => number;

const CROPS: readonly Rgb[] = [
  [105, 135, 65], [135, 150, 80], [160, 150, 100], [120, 110, 80], [90, 115, 55], [175, 165, 125], [145, 125, 85], [80, 105, 60],
];
const SOILS: readonly Rgb[] = [[170, 150, 120], [150, 130, 105], [185, 172, 148], [135, 118, 95], [200, 190, 170], [160, 140, 115], [120, 100, 80]];
const SCRUB: readonly Rgb[] = [[120, 125, 85], [140, 135, 95], [105, 115, 75], [150, 140, 110]];
const SHINGLE: readonly Rgb[] = [
  [95, 90, 85], [120, 112, 102], [70, 70, 75], [140, 128, 112], [150, 82, 60], [170, 162, 150], [105, 95, 80], [85, 95, 105], [190, 185, 175],
];
const NEW_FLAT: readonly Rgb[] = [[185, 182, 175], [205, 205, 200], [150, 148, 142], [165, 160, 150], [120, 125, 130]];
const NEW_TILE: readonly Rgb[] = [[150, 75, 55], [85, 85, 90], [165, 95, 65], [110, 110, 105], [70, 80, 100]];
const WAREHOUSE: readonly Rgb[] = [[190, 195, 200], [80, 120, 170], [210, 210, 205], [70, 110, 150], [160, 165, 160]];
const TEMP_SHED: readonly Rgb[] = [[70, 125, 200], [225, 228, 230], [200, 205, 210], [95, 150, 215]];

/**
 * A layout-aligned region covering roughly a quarter to all of the output image (`size` pixels, centred on
 * the layout), sometimes the whole layout.
 */
export function pickRegion(rng: Rng, scene: Scene, size: number): Rect {
  const e = scene.extent;
  if (rng.chance(0.3)) return { x0: 0, y0: 0, x1: e, y1: e };
  const w = size * rng.float(0.55, 1.4);
  const h = size * rng.float(0.55, 1.4);
  const cx = e / 2 + rng.float(-0.25, 0.25) * size;
  const cy = e / 2 + rng.float(-0.25, 0.25) * size;
  return { x0: Math.max(0, cx - w / 2), y0: Math.max(0, cy - h / 2), x1: Math.min(e, cx + w / 2), y1: Math.min(e, cy + h / 2) };
}

/** Removes everything standing in the region (for both dates), so the region is open land at first. */
export function clearRegion(scene: Scene, region: Rect, m: M): void {
  scene.buildings = scene.buildings.filter((b) => !overlaps(b.rect, region, m(1)));
  scene.trees = scene.trees.filter((t) => !(t.x > region.x0 - t.r && t.x < region.x1 + t.r && t.y > region.y0 - t.r && t.y < region.y1 + t.r));
  scene.cars = scene.cars.filter((c) => !overlaps(c.rect, region));
  scene.courtyards = scene.courtyards.filter((c) => !overlaps(c, region));
  scene.freeAreas = scene.freeAreas.filter((a) => !overlaps(a, region));
}

/**
 * Open land: one to three parcels of field rows, scrub, bare or graded soil, or rough grass; bare sites may have
 * a few temporary sheds and dirt tracks when `sheds` is true.
 */
export function openLand(rng: Rng, region: Rect, m: M, sheds: boolean): LandCover {
  const out: LandCover = { patches: [], buildings: [], trees: [] };
  const parts = rng.int(1, 3);
  const alongX = rng.chance(0.5);
  const span = alongX ? rectW(region) : rectH(region);
  const cuts = [0, ...Array.from({ length: parts - 1 }, () => rng.float(0.2, 0.8) * span).sort((a, b) => a - b), span];
  for (let i = 0; i < parts; i++) {
    const a0 = cuts[i]!;
    const a1 = cuts[i + 1]!;
    const rect: Rect = alongX ? { ...region, x0: region.x0 + a0, x1: region.x0 + a1 } : { ...region, y0: region.y0 + a0, y1: region.y0 + a1 };
    if (rectW(rect) < m(4) || rectH(rect) < m(4)) continue;
    const kind = rng.weighted({ field: 3, soil: 2.5, scrub: 1.5, grass: 1 });
    if (kind === 'field') {
      out.patches.push({
        rect,
        kind: 'field',
        colour: jitter(rng, rng.pick(CROPS), 0.12),
        texture: rng.float(0.08, 0.2),
        rows: { period: m(rng.float(0.8, 4)), alongX: rng.chance(0.5), contrast: rng.float(0.05, 0.22) },
      });
    } else if (kind === 'soil') {
      out.patches.push({ rect, kind: 'soil', colour: jitter(rng, rng.pick(SOILS), 0.1), texture: rng.float(0.1, 0.28) });
      // Vehicle tracks and graded strips across a site.
      for (let k = rng.int(0, 3); k > 0; k--) {
        const w = m(rng.float(3, 7));
        const along = rng.chance(0.5);
        const at = along ? rng.float(rect.y0, Math.max(rect.y0, rect.y1 - w)) : rng.float(rect.x0, Math.max(rect.x0, rect.x1 - w));
        const strip: Rect = along ? { ...rect, y0: at, y1: Math.min(rect.y1, at + w) } : { ...rect, x0: at, x1: Math.min(rect.x1, at + w) };
        out.patches.push({ rect: strip, kind: 'soil', colour: jitter(rng, rng.pick(SOILS), 0.1), texture: rng.float(0.05, 0.15) });
      }
      if (sheds && rng.chance(0.35)) {
        for (let k = rng.int(1, 4); k > 0; k--) {
          const w = m(rng.float(4, 12));
          const h = m(rng.float(3, 6));
          if (rectW(rect) < w + m(4) || rectH(rect) < h + m(4)) break;
          const x0 = rng.float(rect.x0 + m(2), rect.x1 - w - m(2));
          const y0 = rng.float(rect.y0 + m(2), rect.y1 - h - m(2));
          out.buildings.push({ rect: { x0, y0, x1: x0 + w, y1: y0 + h }, kind: 'industrial', roof: 'corrugated', colour: jitter(rng, rng.pick(TEMP_SHED), 0.06), height: rng.float(2.5, 3.2), ridgeAlongX: w > h });
        }
      }
    } else if (kind === 'scrub') {
      out.patches.push({ rect, kind: 'scrub', colour: jitter(rng, rng.pick(SCRUB), 0.12), texture: rng.float(0.2, 0.35) });
      const n = Math.round(((rectW(rect) * rectH(rect)) / (m(10) * m(10))) * rng.float(0.2, 1.2));
      for (let k = 0; k < n; k++) out.trees.push({ x: rng.float(rect.x0, rect.x1), y: rng.float(rect.y0, rect.y1), r: m(rng.float(0.7, 2.2)), height: rng.float(1, 3) });
    } else {
      out.patches.push({ rect, kind: 'lawn', colour: jitter(rng, [105, 125, 70], 0.18), texture: rng.float(0.15, 0.3) });
      if (rng.chance(0.5)) for (let k = rng.int(1, 8); k > 0; k--) out.trees.push({ x: rng.float(rect.x0, rect.x1), y: rng.float(rect.y0, rect.y1), r: m(rng.float(1.5, 4)), height: rng.float(4, 10) });
    }
  }
  return out;
}

/** Builds a new estate over the region: streets and rows of houses, terraces, slabs or sheds. */
export function developRegion(rng: Rng, region: Rect, m: M, layout?: Layout): LandCover {
  const kind = layout ?? rng.weighted<Layout>({ houses: 3, terraces: 1.5, slabs: 1.5, sheds: 0.7 });
  const out: LandCover = { patches: [], buildings: [], trees: [] };
  const ground = rng.weighted({ soil: 2, lawn: 1.5, paving: 1 });
  out.patches.push(
    ground === 'soil' ? { rect: region, kind: 'soil', colour: jitter(rng, rng.pick(SOILS), 0.1), texture: rng.float(0.08, 0.22) }
    : ground === 'lawn' ? { rect: region, kind: 'lawn', colour: jitter(rng, [100, 135, 70], 0.15), texture: rng.float(0.1, 0.22) }
    : { rect: region, kind: 'paving', colour: jitter(rng, [165, 160, 150], 0.1) },
  );
  // Local coordinates: a runs along the streets, b across them.
  const alongX = rng.chance(0.5);
  const A0 = alongX ? region.x0 : region.y0;
  const A1 = alongX ? region.x1 : region.y1;
  const B0 = alongX ? region.y0 : region.x0;
  const B1 = alongX ? region.y1 : region.x1;
  const r = (a0: number, b0: number, a1: number, b1: number): Rect => (alongX ? { x0: a0, y0: b0, x1: a1, y1: b1 } : { x0: b0, y0: a0, x1: b1, y1: a1 });
  const roadColour = rng.chance(0.5) ? jitter(rng, [178, 175, 168], 0.08) : jitter(rng, [92, 92, 95], 0.1);
  const roadW = m(rng.float(7, 12));
  const fits = (rect: Rect): boolean => rect.x0 >= region.x0 && rect.y0 >= region.y0 && rect.x1 <= region.x1 && rect.y1 <= region.y1;
  const add = (b: Building): void => {
    if (fits(b.rect)) out.buildings.push(b);
  };

  // Cross streets cut the rows every so often.
  const cross: [number, number][] = [];
  for (let a = A0 + m(rng.float(40, 160)); a < A1 - m(20); a += m(rng.float(110, 220))) {
    cross.push([a, a + roadW]);
    out.patches.push({ rect: r(a, B0, a + roadW, B1), kind: 'road', colour: roadColour });
  }
  const clearOfCross = (a0: number, a1: number): boolean => cross.every(([c0, c1]) => a1 < c0 - m(1.5) || a0 > c1 + m(1.5));

  if (kind === 'houses' || kind === 'terraces') {
    const lotDepth = m(rng.float(20, 32));
    const pitch = 2 * lotDepth + roadW;
    const built = rng.float(0.7, 1);
    const setback = m(rng.float(4, 8));
    const depth = m(rng.float(9, 15));
    const palette = rng.chance(0.5) ? [rng.pick(SHINGLE)] : SHINGLE;
    const hipped = rng.chance(0.5);
    for (let b = B0 + lotDepth - rng.float(0, lotDepth); b < B1; b += pitch) {
      out.patches.push({ rect: r(A0, b, A1, b + roadW), kind: 'road', colour: roadColour });
      for (const side of [-1, 1] as const) {
        const b0 = side < 0 ? b - setback - depth : b + roadW + setback;
        const b1 = b0 + depth;
        if (kind === 'houses') {
          const lotW = m(rng.float(14, 22));
          for (let a = A0 + rng.float(0, lotW); a + lotW < A1; a += lotW) {
            if (!rng.chance(built)) continue;
            const w = lotW - m(rng.float(2.5, 6));
            const a0 = a + rng.float(0, lotW - w);
            if (!clearOfCross(a0, a0 + w)) continue;
            const rect = r(a0, b0, a0 + w, b1);
            add({ rect, kind: 'change', roof: hipped ? 'hipped' : 'pitched', colour: jitter(rng, rng.pick(palette), 0.08), height: rng.float(5, 8), ridgeAlongX: rectW(rect) > rectH(rect) });
            const dw = m(rng.float(3, 5.5));
            const da = rng.chance(0.5) ? a0 : a0 + w - dw;
            if (fits(rect)) {
              out.patches.push({ rect: side < 0 ? r(da, b1, da + dw, b) : r(da, b + roadW, da + dw, b0), kind: 'paving', colour: jitter(rng, [182, 178, 170], 0.06) });
              if (rng.chance(0.3)) {
                const ta = rng.float(a, a + lotW);
                const tb = side < 0 ? rng.float(b1, b) : rng.float(b + roadW, b0);
                const [tx, ty] = alongX ? [ta, tb] : [tb, ta];
                out.trees.push({ x: tx, y: ty, r: m(rng.float(0.8, 2)), height: rng.float(2, 5) });
              }
            }
          }
        } else {
          const unit = m(rng.float(5, 8));
          const colour = rng.pick(palette);
          for (let a = A0 + rng.float(0, m(8)); a < A1; ) {
            const n = rng.int(4, 10);
            const len = n * unit;
            if (a + len > A1) break;
            if (clearOfCross(a, a + len) && rng.chance(built)) {
              for (let k = 0; k < n; k++) {
                const rect = r(a + k * unit, b0, a + (k + 1) * unit, b1);
                add({ rect, kind: 'change', roof: 'pitched', colour: jitter(rng, colour, 0.05), height: rng.float(7, 10), ridgeAlongX: alongX });
              }
            }
            a += len + m(rng.float(3, 8));
          }
        }
      }
    }
  } else if (kind === 'slabs') {
    const tall = rng.chance(0.35);
    const depth = m(rng.float(11, 16));
    const gap = m(rng.float(tall ? 25 : 14, tall ? 40 : 24));
    const pitched = rng.chance(0.35);
    const colour = pitched ? rng.pick(NEW_TILE) : rng.pick(NEW_FLAT);
    const block = m(rng.float(70, 130));
    for (let b = B0 + rng.float(0, m(20)); b < B1; b += block + roadW) {
      out.patches.push({ rect: r(A0, b + block, A1, b + block + roadW), kind: 'road', colour: roadColour });
      for (let y = b + m(3); y + depth < b + block - m(2); y += depth + gap) {
        for (let a = A0 + m(rng.float(3, 10)); a < A1 - m(15); ) {
          const len = m(rng.float(tall ? 20 : 30, tall ? 35 : 70));
          if (clearOfCross(a, a + len)) {
            add({ rect: r(a, y, a + len, y + depth), kind: 'change', roof: pitched ? 'pitched' : 'flat', colour: jitter(rng, colour, 0.06), height: tall ? rng.float(40, 90) : rng.float(15, 24), ridgeAlongX: alongX });
          }
          a += len + m(rng.float(8, 16));
        }
        if (rng.chance(0.6)) out.patches.push({ rect: r(A0, y + depth + m(2), A1, y + depth + gap - m(2)), kind: 'lawn', colour: jitter(rng, [95, 125, 70], 0.15) });
      }
    }
  } else {
    for (let b = B0 + rng.float(0, m(10)); b < B1; ) {
      const h = m(rng.float(20, 55));
      for (let a = A0 + m(rng.float(3, 12)); a < A1 - m(20); ) {
        const w = m(rng.float(25, 80));
        if (clearOfCross(a, a + w)) {
          const rect = r(a, b, a + w, b + h);
          add({ rect, kind: 'change', roof: rng.chance(0.6) ? 'corrugated' : 'flat', colour: jitter(rng, rng.pick(WAREHOUSE), 0.06), height: rng.float(7, 14), ridgeAlongX: rectW(rect) > rectH(rect) });
        }
        a += w + m(rng.float(10, 20));
      }
      b += h + m(rng.float(6, 10));
      out.patches.push({ rect: r(A0, b, A1, b + roadW), kind: 'road', colour: roadColour });
      b += roadW + m(rng.float(6, 10));
    }
  }
  return out;
}

/** Plans a greenfield development over `region` (which the caller has cleared). */
export function planDevelopment(rng: Rng, region: Rect, m: M, layout?: Layout): Development {
  const before = openLand(rng, region, m, true);
  const after = developRegion(rng, region, m, layout);
  return { region, before, after };
}
