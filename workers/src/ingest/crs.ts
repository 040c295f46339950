// The coordinate systems imagery may come in, identified from GeoTIFF GeoKeys, as proj4 definitions built
// from their parameters (no lookup tables from elsewhere).
import proj4 from 'proj4';
import { IngestInputError } from './errors.js';

export interface Crs {
  /** e.g. "EPSG:32651" */
  code: string;
  proj4: string;
  geographic: boolean;
}

const WGS84_LONLAT = '+proj=longlat +datum=WGS84 +no_defs';
const WEB_MERCATOR = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
const USER_DEFINED = 32767;

const utm = (zone: number, south: boolean, datum: string) =>
  `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${datum} +units=m +no_defs`;
const gaussKruger = (lon0: number, x0: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`;

/** The proj4 definition of a supported EPSG code, or null. CGCS2000 and NAD83 are taken as WGS84 (sub-metre). */
export function proj4ForEpsg(code: number): Crs | null {
  const c = (def: string, geographic = false): Crs => ({ code: `EPSG:${code}`, proj4: def, geographic });
  if (code === 4326) return c(WGS84_LONLAT, true);
  if (code === 4490) return c('+proj=longlat +ellps=GRS80 +no_defs', true);
  if (code === 3857) return c(WEB_MERCATOR);
  if (code >= 32601 && code <= 32660) return c(utm(code - 32600, false, '+datum=WGS84'));
  if (code >= 32701 && code <= 32760) return c(utm(code - 32700, true, '+datum=WGS84'));
  if (code >= 26901 && code <= 26923) return c(utm(code - 26900, false, '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0'));
  // CGCS2000 Gauss-Krüger: 6° zones 13–23 with the zone number in the false easting, then without it;
  // 3° zones 25–45 with it, then without it.
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return c(gaussKruger(zone * 6 - 3, zone * 1e6 + 500000));
  }
  if (code >= 4502 && code <= 4512) return c(gaussKruger(75 + (code - 4502) * 6, 500000));
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return c(gaussKruger(zone * 3, zone * 1e6 + 500000));
  }
  if (code >= 4534 && code <= 4554) return c(gaussKruger(75 + (code - 4534) * 3, 500000));
  return null;
}

/** The raster's CRS from its GeoKeys; throws an input error naming the code when it is not supported. */
export function crsFromGeoKeys(keys: Record<string, unknown> | null): Crs {
  if (!keys) throw new IngestInputError('the file has no georeference (no GeoTIFF keys); export it as a GeoTIFF');
  const model = keys.GTModelTypeGeoKey;
  const projected = keys.ProjectedCSTypeGeoKey;
  const geographic = keys.GeographicTypeGeoKey;
  const code = typeof projected === 'number' && model !== 2 ? projected : typeof geographic === 'number' ? geographic : undefined;
  if (code === undefined) throw new IngestInputError('the file has no coordinate system code in its GeoTIFF keys');
  if (code === USER_DEFINED) throw new IngestInputError('unsupported CRS user-defined (no EPSG code)');
  const units = keys.ProjLinearUnitsGeoKey;
  const crs = proj4ForEpsg(code);
  if (!crs) throw new IngestInputError(`unsupported CRS EPSG:${code}`);
  if (!crs.geographic && typeof units === 'number' && units !== 9001) {
    throw new IngestInputError(`unsupported CRS EPSG:${code} with linear unit code ${units} (metres expected)`);
  }
  return crs;
}

/** A converter from the raster CRS to WGS84 longitude/latitude and back. */
export function toLonLat(crs: Crs): proj4.Converter {
  return proj4(crs.proj4, WGS84_LONLAT);
}
