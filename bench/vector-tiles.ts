// Vector tiles vs GeoJSON for the same area of the seeded registry, measured in one run.
// Run by hand after `npm run demo -- --check` (or migrate + seed):  npx tsx bench/vector-tiles.ts
import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { registryPage } from '@tuban/core/db/registry';
import { vectorTile, type VectorLayer } from '@tuban/core/db/vector-tiles';
import { lonLatToTile, tileBounds } from '@tuban/core/geo/tiles';
import { medianTime } from './stats.js';

const ROUNDS = 15;
const CENTRE: [number, number] = [121.392, 31.262];

/** Median of ROUNDS timed calls after one untimed warm-up call. */
async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  return medianTime(ROUNDS, fn);
}

const pool = createPool(loadConfig().DATABASE_URL, { max: 2 });
const total = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM registry_items')).rows[0]!.n;
if (total === 0) throw new Error('registry is empty: run npm run demo -- --check (or npm run seed) first');
console.log(`registry items: ${total}; median of ${ROUNDS} rounds\n`);
console.log('zoom  layer       tile ms  bytes   | GeoJSON same bbox ms  bytes   | ratio');
for (const z of [12, 14, 16]) {
  const tile = lonLatToTile(CENTRE[0], CENTRE[1], z);
  for (const layer of ['registry', 'streets', 'hotspots'] as VectorLayer[]) {
    const bytes = (await vectorTile(pool, layer, tile.z, tile.x, tile.y)).length;
    const mvtMs = await median(() => vectorTile(pool, layer, tile.z, tile.x, tile.y));
    if (layer !== 'registry') {
      console.log(`${String(z).padEnd(5)} ${layer.padEnd(10)} ${mvtMs.toFixed(2).padStart(8)} ${String(bytes).padStart(6)}`);
      continue;
    }
    const bbox = tileBounds(tile);
    const geojsonBytes = JSON.stringify((await registryPage(pool, { bbox, limit: 1000, offset: 0 })).collection).length;
    const jsonMs = await median(() => registryPage(pool, { bbox, limit: 1000, offset: 0 }));
    console.log(
      `${String(z).padEnd(5)} ${layer.padEnd(10)} ${mvtMs.toFixed(2).padStart(8)} ${String(bytes).padStart(6)}   | ` +
        `${jsonMs.toFixed(2).padStart(20)} ${String(geojsonBytes).padStart(6)}   | ${(jsonMs / mvtMs).toFixed(2)}×`,
    );
  }
}
await pool.end();
