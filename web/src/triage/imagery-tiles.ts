// A candidate's imagery on the triage maps, and the XYZ imagery tile under a point.
import type { ImageryOverlay } from '../map/imagery-layers';
import type { ImageryRef } from './triage-api';

/**
 * A candidate's imagery as a map overlay, opaque. Its source stops at the pyramid's deepest zoom, so past it
 * MapLibre enlarges those tiles instead of asking for deeper ones the server does not have.
 */
export function imageryOverlayOf(imagery: ImageryRef): ImageryOverlay {
  return { ...imagery, opacity: 1, minZoom: null, footprint: null };
}


export function tileAt(lon: number, lat: number, z: number): { x: number; y: number; z: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y, z };
}
