// Georeferenced before/after orthophotos over Putuo with planted changes, for the demo and the end-to-end tests.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import proj4 from 'proj4';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { maskComponents } from '@tuban/core/raster/mask';
import { lonLatToGlobalPixel } from '@tuban/core/geo/web-mercator-pixels';
import { generatePair, type PlantedBox, type PlantedKind } from './synth/generate.js';

/** UTM zone 51N (WGS84): a projected CRS the ingest must reproject, as real Shanghai orthophotos often are. */
export const DEMO_EPSG = 32651;
const UTM51N = '+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs';
/** 曹杨新村街道, one of the demo streets. */
export const DEMO_CENTRE: [number, number] = [121.401, 31.247];
export const DETECTION_ZOOM = 18;

export interface DemoImageryOptions {
  seed?: number;
  /** side in pixels (default 2048: about 1 km² at 0.5 m/px) */
  size?: number;
  metresPerPixel?: number;
  /** planted changes (default: about one per 2.5 ha) */
  changes?: number;
  centre?: [number, number];
  /** season, sun, sensor, cars and misregistration between the dates (default true) */
  nuisance?: boolean;
  /** the largest misregistration of the before image, pixels per axis (default 3, the generator's) */
  misregistrationPx?: number;
}

export interface PlantedChangeProps {
  id: number;
  kind: PlantedKind | 'unknown';
  areaM2: number;
  /** the footprint crosses a z18 tile border, so detection sees it in two or more tiles */
  straddlesTileBorder: boolean;
}

export interface DemoScene {
  before: Buffer;
  after: Buffer;
  truth: FeatureCollection<Polygon, PlantedChangeProps>;
  /** UTM 51N coordinates of the after image's top-left corner */
  origin: [number, number];
  capturedBefore: string;
  capturedAfter: string;
  /** the before image's misregistration in metres east and south: it shows the after image's ground point P at P + this */
  misregistrationM: [number, number];
}

// A year apart, spring to spring; TIFF DateTime has no zone, the ingest reads it as local (Asia/Shanghai) time.
const CAPTURED_BEFORE = '2025:04:16 10:20:00';
const CAPTURED_AFTER = '2026:04:14 10:40:00';
// More than a z18 tile (~131 m here) plus the turn of the UTM grid against north across a kilometre.
const BEFORE_MARGIN_M = 160;

/**
 * Renders the pair and its ground truth; the same options always give the same bytes. The before image reaches
 * `BEFORE_MARGIN_M` beyond the after image on every side, as an earlier, wider flight would: the planner only
 * compares a z18 tile where earlier imagery covers all of it.
 */
export async function renderDemoScene(options: DemoImageryOptions = {}): Promise<DemoScene> {
  const size = options.size ?? 2048;
  const mpp = options.metresPerPixel ?? 0.5;
  const seed = options.seed ?? 1;
  const pad = Math.ceil(BEFORE_MARGIN_M / mpp);
  const full = size + 2 * pad;
  const changes = options.changes ?? Math.max(3, Math.round((size * mpp) ** 2 / 25_000));
  const pair = generatePair({
    seed, size: full, metresPerPixel: mpp, nuisance: options.nuisance ?? true, misregistrationPx: options.misregistrationPx,
    changes: Math.round((changes * full * full) / (size * size)),
  });
  const after = cropRgb(pair.after, full, pad, size);
  const mask = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) mask.set(pair.mask.subarray((y + pad) * full + pad, (y + pad) * full + pad + size), y * size);
  // Changes cut by the after image's edge are left out of the truth: only part of them was flown.
  const components = maskComponents({ data: mask, width: size, height: size }, new Float32Array(size * size).fill(1), 1).filter(
    (c) => !c.rings[0]!.some(([x, y]) => x === 0 || y === 0 || x === size || y === size),
  );
  const planted = pair.planted.map((p) => ({ ...p, bbox: p.bbox.map((v) => v - pad) as PlantedBox['bbox'] }));

  const toUtm = proj4('EPSG:4326', UTM51N);
  const [cx, cy] = toUtm.forward(options.centre ?? DEMO_CENTRE);
  const half = (size * mpp) / 2;
  const base: [number, number] = [Math.round(cx! - half), Math.round(cy! + half)];

  // Slide the frame by whole 16 m steps until enough footprints cross a z18 tile border (edge effects are the point).
  const wanted = Math.min(components.length, size >= 1024 ? 3 : 1);
  let best: { origin: [number, number]; truth: FeatureCollection<Polygon, PlantedChangeProps>; straddling: number } | null = null;
  for (let step = 0; step < 16; step++) {
    const origin: [number, number] = [base[0] + (step % 4) * 16, base[1] - Math.floor(step / 4) * 16];
    const truth = truthOf(components, planted, origin, mpp);
    const straddling = truth.features.filter((f) => f.properties.straddlesTileBorder).length;
    if (!best || straddling > best.straddling) best = { origin, truth, straddling };
    if (straddling >= wanted) break;
  }
  const { origin, truth } = best!;
  const tiff = (data: Uint8Array, side: number, topLeft: [number, number], dateTime: string) =>
    writeGeoTiff({
      width: side, height: side, samples: 3, bits: 8, data, compression: 'deflate', tile: 256,
      epsg: DEMO_EPSG, origin: topLeft, pixelSize: [mpp, mpp], dateTime,
    });
  return {
    before: await tiff(pair.before, full, [origin[0] - pad * mpp, origin[1] + pad * mpp], CAPTURED_BEFORE),
    after: await tiff(after, size, origin, CAPTURED_AFTER),
    truth,
    origin,
    capturedBefore: CAPTURED_BEFORE,
    capturedAfter: CAPTURED_AFTER,
    misregistrationM: [pair.misregistration[0] * mpp, pair.misregistration[1] * mpp],
  };
}

function cropRgb(src: Uint8Array, srcSize: number, offset: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const from = ((y + offset) * srcSize + offset) * 3;
    out.set(src.subarray(from, from + size * 3), y * size * 3);
  }
  return out;
}

function truthOf(
  components: ReturnType<typeof maskComponents>,
  planted: PlantedBox[],
  origin: [number, number],
  mpp: number,
): FeatureCollection<Polygon, PlantedChangeProps> {
  const toLonLat = proj4(UTM51N, 'EPSG:4326');
  const features = components.map((c, i): Feature<Polygon, PlantedChangeProps> => {
    const outline = c.rings[0]!;
    const xs = outline.map(([x]) => x);
    const ys = outline.map(([, y]) => y);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const;
    const kind = planted.find((p) => p.bbox[0] < box[2] && p.bbox[2] >= box[0] && p.bbox[1] < box[3] && p.bbox[3] >= box[1])?.kind;
    const rings = c.rings.map((ring) =>
      ring.map(([px, py]) => {
        const [lon, lat] = toLonLat.forward([origin[0] + px * mpp, origin[1] - py * mpp]);
        return [round7(lon!), round7(lat!)];
      }),
    );
    const tiles = rings[0]!.map(([lon, lat]) => lonLatToGlobalPixel(lon!, lat!, DETECTION_ZOOM).map((p) => Math.floor(p / 256)));
    const straddles = new Set(tiles.map(([tx, ty]) => `${tx}/${ty}`)).size > 1;
    return {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: rings },
      properties: { id: i + 1, kind: kind ?? 'unknown', areaM2: Math.round(c.pixels * mpp * mpp * 10) / 10, straddlesTileBorder: straddles },
    };
  });
  return { type: 'FeatureCollection', features };
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export interface DemoImageryFiles {
  before: string;
  after: string;
  truth: string;
  planted: number;
  straddling: number;
  cached: boolean;
}

/** Writes the pair and truth into `dir` under names keyed by the options; reuses them when already there. */
export async function writeDemoImagery(dir: string, options: DemoImageryOptions = {}): Promise<DemoImageryFiles> {
  const key = `putuo-s${options.seed ?? 1}-${options.size ?? 2048}px`;
  const files = {
    before: join(dir, `${key}-2025.tif`),
    after: join(dir, `${key}-2026.tif`),
    truth: join(dir, `${key}-planted.geojson`),
  };
  const cached = Object.values(files).every((f) => existsSync(f));
  if (!cached) {
    const scene = await renderDemoScene(options);
    await mkdir(dir, { recursive: true });
    // Truth last, each through a temporary name: a half-written set is never mistaken for a cached one.
    for (const [path, bytes] of [[files.before, scene.before], [files.after, scene.after], [files.truth, JSON.stringify(scene.truth) + '\n']] as const) {
      await writeFile(`${path}.part`, bytes);
      await rename(`${path}.part`, path);
    }
  }
  const truth = JSON.parse(await readFile(files.truth, 'utf8')) as FeatureCollection<Polygon, PlantedChangeProps>;
  return {
    ...files,
    planted: truth.features.length,
    straddling: truth.features.filter((f) => f.properties.straddlesTileBorder).length,
    cached,
  };
}
