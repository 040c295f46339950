-- Re-fly suggestions for pilots: places whose imagery is stale or that need a fresh look (a demolished spot that
-- may be rebuilt, a field check waiting for imagery, a villa compound not seen this month). A suggestion stays
-- open until ready imagery captured at or after `needs_after` covers it; then it is done, naming that imagery.
CREATE TABLE refly_suggestions (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('stale_cell', 'rebuild_watch', 'field_check', 'villa_unseen')),
  -- what it is about: 'x/y/street' of a z15 cell piece, or the registry item, candidate or compound id
  subject         text NOT NULL,
  street_code     text REFERENCES streets (code),
  geom            geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2         double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  needs_after     timestamptz NOT NULL,
  -- the numbers the reason is worded from (days since, case number, …)
  reason_params   jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  done_imagery_id bigint REFERENCES imagery (id) ON DELETE SET NULL,
  done_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE UNIQUE INDEX refly_suggestions_open_subject_idx ON refly_suggestions (kind, subject) WHERE status = 'open';
CREATE INDEX refly_suggestions_geom_idx ON refly_suggestions USING gist (geom);

-- The newest ready imagery (not evidence photos) captured at or after `not_before` whose footprint covers at
-- least `min_share` of `g`; imagery without a capture time counts from when it was recorded. One definition of
-- "seen" for the coverage map, the re-fly suggestions and marking them done. Candidates are tried newest first and
-- the first that covers wins, so usually one intersection is computed, not one per overlapping item; the share is
-- a ratio of planar areas, which over a cell of a kilometre differs from the spheroid's by far less than 0.1 %.
CREATE FUNCTION newest_imagery_covering(g geometry, min_share double precision, not_before timestamptz DEFAULT '-infinity')
RETURNS TABLE (imagery_id bigint, imaged_at timestamptz) LANGUAGE plpgsql STABLE ROWS 1 AS $$
DECLARE
  needed double precision := min_share * ST_Area(g);
  c record;
BEGIN
  FOR c IN
    SELECT i.id, coalesce(i.captured_at, i.created_at) AS at, i.footprint
    FROM imagery i
    WHERE i.status = 'ready' AND i.kind <> 'photo' AND i.footprint && g
      AND coalesce(i.captured_at, i.created_at) >= not_before
    ORDER BY 2 DESC, 1 DESC
  LOOP
    IF ST_Covers(c.footprint, g) OR ST_Area(ST_Intersection(c.footprint, g)) >= needed THEN
      imagery_id := c.id;
      imaged_at := c.at;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
END
$$;

-- The district cut into the tiles of one zoom over the streets' extent, each tile split along street borders so that
-- every piece belongs to one street; slivers under `min_piece_m2` where a border grazes a tile are left out. JIT is
-- off: the planner cannot know how many tiles the extent spans and guesses a million, and compiling for that took
-- ten times longer than the query (bench/coverage.ts).
CREATE FUNCTION coverage_cell_pieces(zoom integer, min_piece_m2 double precision)
RETURNS TABLE (street text, x integer, y integer, geom geometry, area_m2 double precision)
LANGUAGE sql STABLE ROWS 200 SET jit = off AS $$
  WITH ext AS (
    SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
    FROM (SELECT ST_Extent(geom) AS b FROM streets) x WHERE b IS NOT NULL),
  span AS (
    SELECT floor((w + 180) / 360 * 2 ^ zoom)::int AS x0, floor((e + 180) / 360 * 2 ^ zoom)::int AS x1,
           floor((1 - ln(tan(radians(n)) + 1 / cos(radians(n))) / pi()) / 2 * 2 ^ zoom)::int AS y0,
           floor((1 - ln(tan(radians(s)) + 1 / cos(radians(s))) / pi()) / 2 * 2 ^ zoom)::int AS y1
    FROM ext),
  cells AS (
    SELECT tx, ty, ST_Transform(ST_TileEnvelope(zoom, tx, ty), 4326) AS env
    FROM span, generate_series(x0, x1) AS tx, generate_series(y0, y1) AS ty),
  cut AS (
    SELECT st.code AS street, c.tx, c.ty, ST_Multi(ST_CollectionExtract(ST_Intersection(st.geom, c.env), 3)) AS g
    FROM streets st JOIN cells c ON ST_Intersects(st.geom, c.env))
  SELECT street, tx, ty, g, ST_Area(g::geography) FROM cut
  WHERE NOT ST_IsEmpty(g) AND ST_Area(g::geography) >= min_piece_m2
$$;
