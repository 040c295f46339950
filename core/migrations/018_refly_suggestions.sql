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
-- "seen" for the coverage map, the re-fly suggestions and marking them done.
CREATE FUNCTION newest_imagery_covering(g geometry, min_share double precision, not_before timestamptz DEFAULT '-infinity')
RETURNS TABLE (imagery_id bigint, imaged_at timestamptz) LANGUAGE sql STABLE AS $$
  SELECT i.id, coalesce(i.captured_at, i.created_at)
  FROM imagery i
  WHERE i.status = 'ready' AND i.kind <> 'photo' AND i.footprint && g
    AND coalesce(i.captured_at, i.created_at) >= not_before
    AND ST_Area(ST_Intersection(i.footprint, g)::geography) >= min_share * ST_Area(g::geography)
  ORDER BY 2 DESC, 1 DESC
  LIMIT 1
$$;
