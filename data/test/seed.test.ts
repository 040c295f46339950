import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction, type Pool } from '@tuban/core/db/pool';
import { wgs84ToGcj02 } from '@tuban/core/geo/gcj02';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { importStreets, StreetImportError } from '../src/import-streets.js';
import { seedGeodata } from '../src/seed.js';

let db: TestDatabase;
let pool: Pool;
let actorId: number;

const count = async (table: string): Promise<number> =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

beforeAll(async () => {
  db = await createTestDatabase('seed');
  pool = db.pool;
  actorId = await insertTestUser(pool, { username: 'seed-admin', displayName: 'Seed admin', role: 'admin' });
});

afterAll(async () => db?.drop());

describe('seedGeodata against PostGIS', () => {
  it('seeds once, quickly, and adds nothing the second time', async () => {
    const started = performance.now();
    const first = await withTransaction(pool, (c) => seedGeodata(c, { actorId }));
    const ms = performance.now() - started;
    console.log(`seedGeodata: ${Math.round(ms)} ms for`, first);
    expect(first).toEqual({ streets: 10, villaCompounds: 7, registryItems: 1000 });
    expect(ms).toBeLessThan(5000);
    const before = { streets: await count('streets'), compounds: await count('villa_compounds'), items: await count('registry_items') };
    const second = await withTransaction(pool, (c) => seedGeodata(c, { actorId }));
    expect(second).toEqual({ streets: 0, villaCompounds: 0, registryItems: 0 });
    expect({ streets: await count('streets'), compounds: await count('villa_compounds'), items: await count('registry_items') }).toEqual(before);
    expect(before).toEqual({ streets: 10, compounds: 7, items: 1000 });
  });

  it('stores valid, consistent geometry', async () => {
    const { rows } = await pool.query<Record<string, number>>(
      `SELECT
         (SELECT count(*)::int FROM registry_items r JOIN streets s ON s.code = r.street_code
            WHERE NOT ST_Within(r.geom, s.geom)) AS outside_street,
         (SELECT count(*)::int FROM registry_items a JOIN registry_items b
            ON a.id < b.id AND ST_Intersects(a.geom, b.geom)) AS overlapping,
         (SELECT count(*)::int FROM registry_items WHERE floor_area_m2 < footprint_m2) AS floor_below_footprint,
         (SELECT count(*)::int FROM registry_items WHERE building_type = 'villa_extension' AND villa_compound_id IS NOT NULL) AS villas,
         (SELECT count(*)::int FROM streets a JOIN streets b ON a.code < b.code
            AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1) AS street_overlaps,
         (SELECT round(sum(area_m2) / 1e6)::int FROM streets) AS district_km2`,
    );
    expect(rows[0]).toMatchObject({ outside_street: 0, overlapping: 0, floor_below_footprint: 0, villas: 79, street_overlaps: 0 });
    expect(rows[0]!.district_km2).toBeGreaterThan(40);
  });

  it('imports GCJ-02 boundaries at their WGS84 position and keeps them on reseeding', async () => {
    // a small square around a WGS84 centre, written out the way AMap/DataV would give it
    const centre: [number, number] = [121.43, 31.27];
    const h = 0.004;
    const square = [[-h, -h], [h, -h], [h, h], [-h, h], [-h, -h]].map(([dx, dy]) => wgs84ToGcj02([centre[0] + dx!, centre[1] + dy!]));
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '甘泉路', adcode: 310107016000 }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { name: '外滩街道' }, geometry: { type: 'Polygon', coordinates: [square] } },
      ],
    };
    const report = await withTransaction(pool, (c) => importStreets(c, fc, { from: 'gcj02', source: 'test-gcj02' }));
    expect(report.imported).toEqual([{ code: '310107016', name: '甘泉路街道', features: [0] }]);
    expect(report.unmatched).toEqual([{ index: 1, label: 'feature #1 (外滩街道)' }]);
    expect(report.notCovered).toHaveLength(9);
    const { rows } = await pool.query<{ x: number; y: number; source: string }>(
      `SELECT ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y, boundary_source AS source FROM streets WHERE code = '310107016'`,
    );
    expect(rows[0]!.source).toBe('test-gcj02');
    expect(Math.abs(rows[0]!.x - centre[0])).toBeLessThan(1e-6);
    expect(Math.abs(rows[0]!.y - centre[1])).toBeLessThan(1e-6);

    await withTransaction(pool, (c) => seedGeodata(c, { actorId }));
    const after = await pool.query<{ source: string }>(`SELECT boundary_source AS source FROM streets WHERE code = '310107016'`);
    expect(after.rows[0]!.source).toBe('test-gcj02');
  });

  it('repairs a self-touching ring that keeps its area', async () => {
    const at = ([x, y]: number[]) => [121.36 + x! * 0.001, 31.24 + y! * 0.001];
    const ring = [[0, 0], [10, 0], [10, 10], [5, 10], [7, 5], [3, 5], [5, 10], [0, 10], [0, 0]].map(at);
    const features = [{ type: 'Feature', properties: { NAME: '长征' }, geometry: { type: 'Polygon', coordinates: [ring] } }];
    const report = await withTransaction(pool, (c) => importStreets(c, features, { from: 'wgs84', source: 'test-fix' }));
    expect(report.imported.map((s) => s.code)).toEqual(['310107102']);
    expect(report.repaired).toHaveLength(1);
    const { rows } = await pool.query<{ holes: number }>(
      `SELECT ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes FROM streets WHERE code = '310107102'`,
    );
    expect(rows[0]!.holes).toBe(1);
  });

  it('accepts a bare array of features and names the feature it cannot use', async () => {
    const bowtie = [[121.40, 31.25], [121.41, 31.26], [121.41, 31.25], [121.40, 31.26], [121.40, 31.25]];
    const features = [{ type: 'Feature', properties: { code: '310107005' }, geometry: { type: 'Polygon', coordinates: [bowtie] } }];
    await expect(importStreets(pool, features, { from: 'wgs84', source: 'test-bad' })).rejects.toThrow(StreetImportError);
    await expect(importStreets(pool, features, { from: 'wgs84', source: 'test-bad' })).rejects.toThrow(/feature #0 \(310107005\)/);
    const far = [{ type: 'Feature', properties: { name: '曹杨新村街道' }, geometry: { type: 'Polygon', coordinates: [[[500000, 3450000], [500100, 3450000], [500100, 3450100], [500000, 3450000]]] } }];
    await expect(importStreets(pool, far, { from: 'cgcs2000', source: 'test-far' })).rejects.toThrow(/projected CRS/);
    await expect(importStreets(pool, { type: 'Topology' }, { from: 'wgs84', source: 'x' })).rejects.toThrow(/FeatureCollection/);
  });
});
