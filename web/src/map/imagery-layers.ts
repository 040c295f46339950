// Imagery rasters under the vector layers: pure source/layer building, unit-tested in node.
import type { LayerSpecification, SourceSpecification } from './layers';
import { fillLayerId } from './layers';
import { boundsOf } from './bounds';

/** One imagery item shown on the map. */
export interface ImageryOverlay {
  id: number;
  opacity: number;
  tileFormat: string | null;
  minZoom: number | null;
  maxZoom: number | null;
  footprint: { coordinates: unknown } | null;
}

export const IMAGERY_PREFIX = 'imagery-';
/** Rasters go under the lowest vector layer, so registry, candidates and streets stay readable on top. */
export const IMAGERY_BENEATH = fillLayerId('streets');
export const DEFAULT_IMAGERY_OPACITY = 0.9;

export function imageryLayerId(id: number): string {
  return `${IMAGERY_PREFIX}${id}`;
}

export function isImageryLayerId(id: string): boolean {
  return id.startsWith(IMAGERY_PREFIX) && /^\d+$/.test(id.slice(IMAGERY_PREFIX.length));
}

/** The XYZ URL template of an item's tiles; a 'mixed' pyramid is asked for as .jpg (PNG at its edges). */
export function imageryTileUrl(origin: string, item: { id: number; tileFormat: string | null }): string {
  const ext = item.tileFormat === 'mixed' ? 'jpg' : item.tileFormat === 'png' ? 'png' : 'webp';
  return `${origin}/tiles/imagery/${item.id}/{z}/{x}/{y}.${ext}`;
}

export function imagerySource(origin: string, item: ImageryOverlay): SourceSpecification {
  const box = boundsOf(item.footprint);
  return {
    type: 'raster',
    tiles: [imageryTileUrl(origin, item)],
    tileSize: 256,
    // Outside the footprint the server answers 204; bounds keep MapLibre from asking at all.
    ...(box ? { bounds: [box[0][0], box[0][1], box[1][0], box[1][1]] as [number, number, number, number] } : {}),
    ...(item.minZoom !== null ? { minzoom: item.minZoom } : {}),
    ...(item.maxZoom !== null ? { maxzoom: item.maxZoom } : {}),
  };
}

export function imageryLayer(item: ImageryOverlay): LayerSpecification {
  const id = imageryLayerId(item.id);
  return { id, type: 'raster', source: id, paint: { 'raster-opacity': clampOpacity(item.opacity), 'raster-fade-duration': 0 } };
}

export function clampOpacity(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : DEFAULT_IMAGERY_OPACITY;
}
