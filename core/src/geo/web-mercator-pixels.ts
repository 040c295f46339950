import { TILE_SIZE } from './tiles.js';

/** WGS84 lon/lat of a point given in global Web Mercator pixel coordinates at zoom z (origin top-left). */
export function globalPixelToLonLat(px: number, py: number, z: number): [number, number] {
  const size = TILE_SIZE * 2 ** z;
  const lon = (px / size) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / size))) * 180) / Math.PI;
  return [lon, lat];
}

/** Global Web Mercator pixel coordinates of a WGS84 point at zoom z. */
export function lonLatToGlobalPixel(lon: number, lat: number, z: number): [number, number] {
  const size = TILE_SIZE * 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size];
}
