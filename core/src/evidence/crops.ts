// Before/after crops for an evidence package: cut at the imagery's own resolution (the deepest level of its
// pyramid), the polygon outlined, with a scale bar and a north arrow drawn in.
import sharp from 'sharp';
import { metresPerPixel } from '../geo/tiles.js';
import { globalPixelToLonLat, lonLatToGlobalPixel } from '../geo/web-mercator-pixels.js';
import { cutWindowRgbPng, type EncodedTileSource, type PixelWindow } from '../raster/mosaic.js';

/** A crop larger than this (either side) is cut one pyramid level coarser, and so on until it fits. */
export const MAX_CROP_PX = 2048;
// Context around the polygon: a quarter of its extent, and never less than this many metres.
const MIN_CONTEXT_M = 15;
const NICE_LENGTHS_M = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000];

export interface Crop {
  png: Buffer;
  zoom: number;
  metresPerPixel: number;
  width: number;
  height: number;
  /** the crop's corners, [west, south, east, north] in EPSG:4326 */
  bbox: [number, number, number, number];
  scaleBarM: number;
}

function ringsOf(g: GeoJSON.MultiPolygon): number[][][] {
  return g.coordinates.flat();
}

function windowAt(geometry: GeoJSON.MultiPolygon, zoom: number): PixelWindow & { mpp: number } {
  const points = ringsOf(geometry).flat();
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  const [x0, y0] = lonLatToGlobalPixel(Math.min(...xs), Math.max(...ys), zoom);
  const [x1, y1] = lonLatToGlobalPixel(Math.max(...xs), Math.min(...ys), zoom);
  const mpp = metresPerPixel((Math.min(...ys) + Math.max(...ys)) / 2, zoom);
  const pad = Math.ceil(Math.max(MIN_CONTEXT_M / mpp, 0.25 * Math.max(x1 - x0, y1 - y0)));
  const left = Math.floor(x0) - pad;
  const top = Math.floor(y0) - pad;
  return { left, top, width: Math.ceil(x1) + pad - left, height: Math.ceil(y1) + pad - top, mpp };
}

/** The zoom to cut at: the native one, or coarser until the crop fits MAX_CROP_PX. */
export function cropZoom(geometry: GeoJSON.MultiPolygon, nativeZoom: number): number {
  let z = nativeZoom;
  while (z > 0) {
    const w = windowAt(geometry, z);
    if (w.width <= MAX_CROP_PX && w.height <= MAX_CROP_PX) break;
    z--;
  }
  return z;
}

function niceLength(maxM: number): number {
  return [...NICE_LENGTHS_M].reverse().find((m) => m <= maxM) ?? NICE_LENGTHS_M[0]!;
}

function overlaySvg(geometry: GeoJSON.MultiPolygon, w: PixelWindow & { mpp: number }, zoom: number, scaleBarM: number): string {
  const path = ringsOf(geometry)
    .map((ring) => 'M' + ring.map((p) => {
      const [x, y] = lonLatToGlobalPixel(p[0]!, p[1]!, zoom);
      return `${(x - w.left).toFixed(2)},${(y - w.top).toFixed(2)}`;
    }).join(' L') + ' Z')
    .join(' ');
  const unit = Math.max(10, Math.round(Math.min(w.width, w.height) / 25));
  const barPx = scaleBarM / w.mpp;
  const font = `font-family="DejaVu Sans, sans-serif" font-size="${unit}" fill="#000"`;
  const bx = unit;
  const by = w.height - unit * 2.2;
  const nx = w.width - unit * 2;
  const ny = unit * 1.2;
  const label = scaleBarM >= 1000 ? `${scaleBarM / 1000} km` : `${scaleBarM} m`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w.width}" height="${w.height}">
<path d="${path}" fill="none" stroke="#ffeb3b" stroke-width="${Math.max(2, unit / 5)}" stroke-linejoin="round"/>
<rect x="${bx - unit / 2}" y="${by - unit * 1.4}" width="${barPx + unit * 1.2 + label.length * unit * 0.62}" height="${unit * 2.2}" fill="#fff" fill-opacity="0.8"/>
<rect x="${bx}" y="${by}" width="${barPx}" height="${unit / 3}" fill="#000"/>
<rect x="${bx}" y="${by - unit / 2}" width="${Math.max(1, unit / 8)}" height="${unit / 2 + unit / 3}" fill="#000"/>
<rect x="${bx + barPx - Math.max(1, unit / 8)}" y="${by - unit / 2}" width="${Math.max(1, unit / 8)}" height="${unit / 2 + unit / 3}" fill="#000"/>
<text x="${bx + barPx + unit / 3}" y="${by + unit / 3}" ${font}>${label}</text>
<rect x="${nx - unit * 0.9}" y="${ny - unit * 0.5}" width="${unit * 1.8}" height="${unit * 3.7}" rx="${unit * 0.3}" fill="#fff" fill-opacity="0.8"/>
<path d="M${nx},${ny - unit * 0.1} L${nx + unit * 0.55},${ny + unit * 1.5} L${nx},${ny + unit * 1.1} L${nx - unit * 0.55},${ny + unit * 1.5} Z" fill="#000"/>
<text x="${nx}" y="${ny + unit * 2.9}" text-anchor="middle" ${font} font-weight="bold">N</text>
</svg>`;
}

/**
 * The crop of one imagery item around a polygon as an RGB PNG (lossless, same bytes for the same tiles), or null
 * where the imagery has no tile there. Web Mercator tiles are north-up, so the arrow always points straight up.
 */
export async function evidenceCrop(source: EncodedTileSource, geometry: GeoJSON.MultiPolygon, nativeZoom: number): Promise<Crop | null> {
  const zoom = cropZoom(geometry, nativeZoom);
  const w = windowAt(geometry, zoom);
  const base = await cutWindowRgbPng(source, zoom, w);
  if (!base) return null;
  const scaleBarM = niceLength((w.width * w.mpp) / 4);
  const png = await sharp(base)
    .composite([{ input: Buffer.from(overlaySvg(geometry, w, zoom, scaleBarM)), left: 0, top: 0 }])
    .removeAlpha()
    .png({ compressionLevel: 9 })
    .toBuffer();
  const [west, north] = globalPixelToLonLat(w.left, w.top, zoom);
  const [east, south] = globalPixelToLonLat(w.left + w.width, w.top + w.height, zoom);
  return { png, zoom, metresPerPixel: w.mpp, width: w.width, height: w.height, bbox: [west, south, east, north], scaleBarM };
}
