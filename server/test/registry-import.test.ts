import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '@tuban/core/geo/gcj02';
import { STREET_A, STREET_B, useHarness } from './harness.js';

const h = useHarness('registry_import');
let office: string;
let squad: string;
beforeAll(async () => {
  [office, squad] = await Promise.all([h.login('office'), h.login('squad-a')]);
});

const sq = (w: number, s: number, d = 0.0002) => [[[w, s], [w + d, s], [w + d, s + d], [w, s + d], [w, s]]];
const feature = (props: Record<string, unknown>, coordinates: unknown, type = 'Polygon') => ({
  type: 'Feature',
  properties: props,
  geometry: { type, coordinates },
});
// a 0.0002° square with a tiny twisted loop on its top edge: invalid, and ST_MakeValid changes its area by far under 1 %
const tinyLoop = [[[121.386, 31.256], [121.3862, 31.256], [121.3862, 31.2562], [121.38611, 31.2562], [121.38609, 31.25621],
  [121.38611, 31.25621], [121.38609, 31.2562], [121.386, 31.2562], [121.386, 31.256]]];
const bowtie = [[[121.387, 31.257], [121.3872, 31.2572], [121.3872, 31.257], [121.387, 31.2572], [121.387, 31.257]]];

const FILE = {
  type: 'FeatureCollection',
  features: [
    feature({ case_no: 'IMP-1', 建筑面积: 150, 状态: '库内', 发现日期: '2025/6/1' }, sq(121.382, 31.252)),
    feature({ 建筑面积: 60, building_type: 'steel_shed' }, sq(121.392, 31.252)), // no case number; in street B
    feature({ case_no: 'IMP-3', area: 40 }, tinyLoop),
    feature({ case_no: 'IMP-4', area: 40 }, bowtie),
    feature({ case_no: 'IMP-5', area: 40 }, [121.383, 31.253], 'Point'),
    feature({ case_no: 'IMP-6', area: 40 }, sq(121.5, 31.1)), // in Shanghai, in no street of this district
    feature({ case_no: 'IMP-1', area: 10 }, sq(121.384, 31.254)),
    feature({ case_no: 'IMP-8', area: -3, status: 'demolished' }, sq(121.385, 31.255)),
  ],
};

const post = (fileName: string, body: Buffer | string, query = '', cookie = office) =>
  h.app.inject({
    method: 'POST',
    url: `/api/registry/import?fileName=${encodeURIComponent(fileName)}${query}`,
    headers: { cookie, 'content-type': 'application/octet-stream' },
    payload: body,
  });
const count = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM registry_items')).rows[0]!.n;

describe('registry import', () => {
  it('reports every row on a dry run and writes nothing', async () => {
    const before = await count();
    const res = await post('items.geojson', JSON.stringify(FILE));
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: true, crs: 'wgs84', total: 8, added: 0 });
    expect(report.rows.map((r: { outcome: string }) => r.outcome)).toEqual([
      'add', 'add', 'repaired', 'invalid', 'invalid', 'invalid', 'duplicate', 'invalid',
    ]);
    expect(report.rows[0].streetCode).toBe(STREET_A);
    expect(report.rows[1].streetCode).toBe(STREET_B);
    expect(report.rows[1].caseNo).toMatch(/^IMP-[0-9a-f]{12}$/);
    expect(report.rows[3].messages.join()).toMatch(/Self-intersection.*change its area/);
    expect(report.rows[4].messages.join()).toMatch(/Point; registry items are polygons/);
    // each message also as a stable code with its values, for the web to word
    expect(report.rows[4].notes).toEqual([{ code: 'import_not_polygon', params: { type: 'Point' } }]);
    expect(report.rows[7].notes.map((n: { code: string }) => n.code)).toEqual(expect.arrayContaining(['import_bad_area', 'import_needs_closed_on']));
    expect(report.rows[5].messages.join()).toMatch(/no street/);
    expect(report.rows[7].messages.join()).toMatch(/not a positive number.*needs a close-out date/);
    expect(await count()).toBe(before);
  });

  it('imports, then adds nothing when the same file comes again', async () => {
    const before = await count();
    const first = (await post('items.geojson', JSON.stringify(FILE), '&dryRun=false')).json();
    expect(first.added).toBe(3);
    expect(await count()).toBe(before + 3);
    const { rows } = await h.db.query(
      `SELECT r.found_on::text, r.floor_area_m2, e.action FROM registry_items r JOIN registry_events e ON e.item_id = r.id WHERE case_no = 'IMP-1'`,
    );
    expect(rows).toEqual([{ found_on: '2025-06-01', floor_area_m2: 150, action: 'import' }]);
    const again = (await post('items.geojson', JSON.stringify(FILE), '&dryRun=false')).json();
    expect([again.added, again.counts.exists]).toEqual([0, 3]);
    expect(await count()).toBe(before + 3);
  });

  it('reads CSV with WKT or lon/lat columns and converts GCJ-02', async () => {
    const [lon, lat] = wgs84ToGcj02([121.3951, 31.2551]);
    const csv = `案件号,经度,纬度,面积\r\nCSV-1,${lon},${lat},100\r\nCSV-2,abc,31.2,5\r\n`;
    const report = (await post('points.csv', csv, '&crs=gcj02&dryRun=false')).json();
    expect(report.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['add', 'invalid']);
    const { rows } = await h.db.query<{ x: number; y: number; a: number; street_code: string }>(
      `SELECT ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y, footprint_m2 AS a, street_code FROM registry_items WHERE case_no = 'CSV-1'`,
    );
    expect(rows[0]!.x).toBeCloseTo(121.3951, 5);
    expect(rows[0]!.y).toBeCloseTo(31.2551, 5);
    expect(rows[0]!.a).toBeCloseTo(100, 0);
    expect(rows[0]!.street_code).toBe(STREET_B);
    const wkt = `case_no,wkt\nWKT-1,"POLYGON((121.381 31.251,121.3812 31.251,121.3812 31.2512,121.381 31.2512,121.381 31.251))"\nWKT-2,POLYGON((oops))\n`;
    const w = (await post('wkt.csv', wkt)).json();
    expect(w.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['add', 'invalid']);
    expect(w.rows[1].messages[0]).toMatch(/WKT cannot be read/);
    expect((await post('x.csv', 'a,b\n1,2\n')).json().error.message).toMatch(/WKT column/);
  });

  it('reads a zipped Shapefile in a projected CRS from its .prj', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuban-shp-'));
    try {
      const src = { type: 'FeatureCollection', features: [feature({ case_no: 'SHP-1', area: 88 }, sq(121.388, 31.258))] };
      writeFileSync(join(dir, 'in.geojson'), JSON.stringify(src));
      // CGCS2000 3-degree Gauss-Krüger, central meridian 120°E
      execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4549', join(dir, 'out.shp'), join(dir, 'in.geojson')]);
      const zip = new JSZip();
      for (const f of readdirSync(dir).filter((n) => n.startsWith('out.'))) zip.file(f, readFileSync(join(dir, f)));
      const body = await zip.generateAsync({ type: 'nodebuffer' });
      const report = (await post('survey.zip', body, '&dryRun=false')).json();
      expect(report).toMatchObject({ format: 'shapefile', crs: 'prj', added: 1 });
      const { rows } = await h.db.query<{ x: number; y: number }>(
        `SELECT ST_XMin(geom) AS x, ST_YMin(geom) AS y FROM registry_items WHERE case_no = 'SHP-1'`,
      );
      expect(rows[0]!.x).toBeCloseTo(121.388, 6);
      expect(rows[0]!.y).toBeCloseTo(31.258, 6);
      // read as plain lon/lat the metres land far outside Shanghai, and say so
      const wrong = (await post('survey.zip', body, '&crs=wgs84')).json();
      expect(wrong.rows[0].messages.join()).toMatch(/outside Shanghai.*wrong CRS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is for the office only, and refuses unknown formats and CRS', async () => {
    expect((await post('items.geojson', JSON.stringify(FILE), '', squad)).statusCode).toBe(403);
    expect((await post('items.kml', '<kml/>')).json().error.message).toMatch(/cannot tell the format/);
    expect((await post('items.geojson', '{}', '&crs=EPSG:9999')).json().error.message).toMatch(/crs must be one of/);
  });
});

describe('street reassignment and progress', () => {
  it('moves an item to another street with an audit event', async () => {
    const { rows } = await h.db.query<{ id: number }>(`SELECT id FROM registry_items WHERE case_no = 'T-A-1'`);
    const id = rows[0]!.id;
    const move = (cookie: string, streetCode: string) =>
      h.app.inject({ method: 'POST', url: `/api/registry/${id}/reassign`, headers: { cookie }, payload: { streetCode, note: '边界调整' } });
    expect((await move(squad, STREET_B)).statusCode).toBe(403);
    expect((await move(office, '310107999')).statusCode).toBe(404);
    expect((await move(office, STREET_B)).json()).toEqual({ id, fromStreet: STREET_A, toStreet: STREET_B });
    const ev = await h.db.query(`SELECT action, note, data FROM registry_events WHERE item_id = $1`, [id]);
    expect(ev.rows).toEqual([{ action: 'reassign', note: '边界调整', data: { fromStreet: STREET_A, toStreet: STREET_B } }]);
  });

  it('reports close-out progress against the target and villa progress', async () => {
    await h.app.inject({ method: 'PUT', url: `/api/annual-targets/2025/${STREET_B}`, headers: { cookie: office }, payload: { targetM2: 160 } });
    const p = (await h.app.inject({ url: '/api/annual-targets/progress?year=2025', headers: { cookie: office } })).json();
    // T-B-1 (80 m²) was demolished in June 2025
    expect(p.rows.find((r: { scope: string }) => r.scope === STREET_B)).toMatchObject({ closedOutM2: 80, targetM2: 160, progress: 0.5 });
    // A squad of street A sees its own street only.
    const own = (await h.app.inject({ url: '/api/annual-targets/progress?year=2025', headers: { cookie: squad } })).json();
    expect(own.rows.map((r: { scope: string }) => r.scope)).toEqual([STREET_A]);
    const v = (await h.app.inject({ url: '/api/hotspots/progress', headers: { cookie: squad } })).json();
    expect(v.categories.map((c: { category: string; total: number }) => [c.category, c.total])).toEqual([
      ['demolish_confiscate', 1],
      ['restrict_freeze', 1],
    ]);
  });
});
