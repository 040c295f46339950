import type { Queryable } from './pool.js';

export interface TimelineImagery {
  id: number;
  fileName: string;
  capturedAt: string | null;
  tileFormat: string | null;
  minZoom: number | null;
  maxZoom: number | null;
  footprint: { type: string; coordinates: unknown[] };
}

export interface StreetCoverage {
  code: string;
  name: string;
  /** share of the street's area the day's imagery covers, 0–100 */
  percent: number;
}

export interface TimelineDay {
  /** Asia/Shanghai capture date, YYYY-MM-DD; null for imagery without a capture time */
  date: string | null;
  imagery: TimelineImagery[];
  /** share of the whole district covered, 0–100 */
  districtPercent: number;
  /** the streets the day's imagery touches, by code */
  streets: StreetCoverage[];
  bbox: [number, number, number, number];
}

/**
 * Ready imagery grouped by its capture date in Shanghai, oldest first (undated first of all), with how much of
 * each street the union of the day's footprints covers. Imagery from outside the district that no admin has
 * accepted is left out, as are evidence photos.
 */
export async function imageryTimeline(db: Queryable): Promise<TimelineDay[]> {
  const { rows } = await db.query<TimelineDay>(
    `WITH items AS (
       SELECT id, file_name, captured_at, tile_format, min_zoom, max_zoom, footprint,
         (captured_at AT TIME ZONE 'Asia/Shanghai')::date AS day
       FROM imagery
       WHERE status = 'ready' AND kind <> 'photo' AND footprint IS NOT NULL
         AND (outside_district_m IS NULL OR accepted_at IS NOT NULL)
     ), days AS (
       SELECT day, ST_UnaryUnion(ST_Collect(footprint)) AS cover,
         json_agg(json_build_object('id', id, 'fileName', file_name, 'capturedAt', captured_at, 'tileFormat', tile_format,
           'minZoom', min_zoom, 'maxZoom', max_zoom, 'footprint', ST_AsGeoJSON(footprint, 7)::json)
           ORDER BY captured_at, id) AS imagery
       FROM items GROUP BY day
     ), district AS (SELECT ST_UnaryUnion(ST_Collect(geom)) AS geom, sum(area_m2) AS area FROM streets)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.imagery,
       coalesce(round((100 * ST_Area(ST_Intersection(d.cover, district.geom)::geography) / nullif(district.area, 0))::numeric, 1), 0)::float8
         AS "districtPercent",
       (SELECT coalesce(json_agg(json_build_object('code', s.code, 'name', s.name,
          'percent', round((100 * ST_Area(ST_Intersection(s.geom, d.cover)::geography) / s.area_m2)::numeric, 1)) ORDER BY s.code), '[]')
        FROM streets s WHERE ST_Intersects(s.geom, d.cover)) AS streets,
       json_build_array(ST_XMin(d.cover), ST_YMin(d.cover), ST_XMax(d.cover), ST_YMax(d.cover)) AS bbox
     FROM days d CROSS JOIN district
     ORDER BY d.day NULLS FIRST`,
  );
  return rows;
}
