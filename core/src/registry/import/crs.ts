// Coordinate systems an imported registry file may come in, all turned into WGS84 lon/lat (EPSG:4326).
import proj4 from 'proj4';
import { Invalid } from '../../errors.js';
import { proj4ForEpsg } from '../../geo/crs.js';
import { gcj02ToWgs84, type LonLat } from '../../geo/gcj02.js';

// Systems in use around Shanghai (CGCS2000 Gauss-Krüger zones 38-41, UTM 50/51N, Web Mercator);
// CGCS2000 (GRS80) is taken as WGS84, as DESIGN.md §4 says.
const PROJECTED = ['EPSG:4490', 'EPSG:4528', 'EPSG:4549', 'EPSG:4550', 'EPSG:32650', 'EPSG:32651', 'EPSG:4547', 'EPSG:3857'] as const;

export const IMPORT_CRS = ['wgs84', 'cgcs2000', 'gcj02', 'prj', ...PROJECTED] as const;
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
    source = proj4ForEpsg(Number(crs.slice('EPSG:'.length)))!.proj4;
  }
  let convert: proj4.Converter;
  try {
    convert = proj4(source, 'EPSG:4326');
  } catch (err) {
    throw new Invalid(`cannot read the coordinate system (${(err as Error).message}); choose the CRS explicitly`);
  }
  return (p) => convert.forward(p) as LonLat;
}
