// Web Mercator XYZ tile math (EPSG:3857, 256 px tiles), the grid every raster and vector tile uses.

export const TILE_SIZE = 256;
export const EARTH_RADIUS_M = 6378137;
export const MAX_ZOOM = 24;

export interface TileXYZ {
  z: number;
  x: number;
  y: number;
}

export function isValidTile({ z, x, y }: TileXYZ): boolean {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) return false;
  const n = 2 ** z;
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < n && y < n;
}

/** The tile holding a WGS84 point at zoom z. */
export function lonLatToTile(lon: number, lat: number, z: number): TileXYZ {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { z, x: Math.min(Math.max(x, 0), n - 1), y: Math.min(Math.max(y, 0), n - 1) };
}

/** The WGS84 bounds [west, south, east, north] of a tile. */
export function tileBounds({ z, x, y }: TileXYZ): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (xx: number) => (xx / n) * 360 - 180;
  const lat = (yy: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * yy) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/** Ground metres per pixel at a latitude and zoom. */
export function metresPerPixel(lat: number, z: number): number {
  return (Math.cos((lat * Math.PI) / 180) * 2 * Math.PI * EARTH_RADIUS_M) / (TILE_SIZE * 2 ** z);
}

/** The coarsest zoom whose pixels are at least as fine as the given ground sample distance. */
export function zoomForResolution(gsdMetres: number, lat: number): number {
  for (let z = 0; z <= MAX_ZOOM; z++) if (metresPerPixel(lat, z) <= gsdMetres) return z;
  return MAX_ZOOM;
}
