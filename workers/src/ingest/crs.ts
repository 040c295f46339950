// The coordinate system of a GeoTIFF, identified from its GeoKeys against the one table in core.
import { proj4ForEpsg, type Crs } from '@tuban/core/geo/crs';
import { IngestInputError } from './errors.js';

const USER_DEFINED = 32767;

/** The raster's CRS from its GeoKeys; throws an input error naming the code when it is not supported. */
export function crsFromGeoKeys(keys: Record<string, unknown> | null): Crs {
  if (!keys) throw new IngestInputError('the file has no georeference (no GeoTIFF keys); export it as a GeoTIFF', { code: 'ingest_no_georeference' });
  const model = keys.GTModelTypeGeoKey;
  const projected = keys.ProjectedCSTypeGeoKey;
  const geographic = keys.GeographicTypeGeoKey;
  const code = typeof projected === 'number' && model !== 2 ? projected : typeof geographic === 'number' ? geographic : undefined;
  if (code === undefined) throw new IngestInputError('the file has no coordinate system code in its GeoTIFF keys', { code: 'ingest_crs_missing' });
  if (code === USER_DEFINED) throw new IngestInputError('unsupported CRS user-defined (no EPSG code)', { code: 'ingest_crs_user_defined' });
  const units = keys.ProjLinearUnitsGeoKey;
  const crs = proj4ForEpsg(code);
  if (!crs) throw new IngestInputError(`unsupported CRS EPSG:${code}`, { code: 'ingest_crs_unsupported', params: { epsg: code } });
  if (!crs.geographic && typeof units === 'number' && units !== 9001) {
    throw new IngestInputError(`unsupported CRS EPSG:${code} with linear unit code ${units} (metres expected)`, {
      code: 'ingest_crs_units', params: { epsg: code, units },
    });
  }
  return crs;
}
