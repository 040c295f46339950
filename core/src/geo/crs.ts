// The one table of coordinate systems the project reads (imagery GeoKeys, registry files), as proj4
// definitions built from their parameters (no lookup tables from elsewhere).
import proj4 from 'proj4';

export interface Crs {
  /** e.g. "EPSG:32651" */
  code: string;
  proj4: string;
  geographic: boolean;
}

export const WGS84_LONLAT = '+proj=longlat +datum=WGS84 +no_defs';
const WEB_MERCATOR = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
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

/** A converter from the CRS to WGS84 longitude/latitude and back. */
export function toLonLat(crs: Crs): proj4.Converter {
  return proj4(crs.proj4, WGS84_LONLAT);
}
