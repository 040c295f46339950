// Coordinate systems an imported registry file may come in, all turned into WGS84 lon/lat (EPSG:4326).
import proj4 from 'proj4';
import { Invalid } from '../errors.js';
import { gcj02ToWgs84, type LonLat } from '../geo/gcj02.js';

// Projected systems in use around Shanghai; CGCS2000 (GRS80) is taken as WGS84, as DESIGN.md §4 says.
const PROJECTED: Record<string, string> = {
  'EPSG:4490': '+proj=longlat +ellps=GRS80 +no_defs',
  // CGCS2000 3-degree Gauss-Krüger zone 40 (central meridian 120°E), with and without the zone prefix
  'EPSG:4528': '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  'EPSG:4549': '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  // CGCS2000 3-degree GK zone 41 (123°E) without prefix, for data cut at the eastern edge
  'EPSG:4550': '+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  'EPSG:32650': '+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs',
  'EPSG:32651': '+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs',
  'EPSG:4547': '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  'EPSG:3857': '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
};

export const IMPORT_CRS = ['wgs84', 'cgcs2000', 'gcj02', 'prj', ...Object.keys(PROJECTED)] as const;
export type ImportCrs = (typeof IMPORT_CRS)[number];

export function isImportCrs(v: string): v is ImportCrs {
  return (IMPORT_CRS as readonly string[]).includes(v);
}

/**
 * The function taking one input position to WGS84. `prj` is a shapefile's .prj (WKT), used when the
 * user chose 'prj'.
 */
export function toWgs84(crs: ImportCrs, prj?: string): (p: LonLat) => LonLat {
  if (crs === 'wgs84' || crs === 'cgcs2000') return (p) => p;
  if (crs === 'gcj02') return gcj02ToWgs84;
  let source: string;
  if (crs === 'prj') {
    if (!prj) throw new Invalid('crs "prj" needs a zipped Shapefile with a .prj file; choose the CRS instead');
    source = prj;
  } else {
    source = PROJECTED[crs]!;
  }
  let convert: proj4.Converter;
  try {
    convert = proj4(source, 'EPSG:4326');
  } catch (err) {
    throw new Invalid(`cannot read the coordinate system (${(err as Error).message}); choose the CRS explicitly`);
  }
  return (p) => convert.forward(p) as LonLat;
}
