// How many planted changes a change model finds through the real detection pipeline (ingest into z18 tiles,
// batches, merge) on the product's own demo scenes, and how many false alarms it raises: the check that decides
// which model ships, since the product's job is small changes in built-up blocks. Needs PostGIS and Redis
// (bash scripts/services.sh start).
// Usage: npx tsx models/change-detection/planted-recall.ts [model.onnx …] [--misregistration PX] [--coregister on|off|compare]
//   (default: the committed models, the generator's ±3 px misregistration, co-registration on as in the product;
//   `compare` runs every scene with and without co-registration, in the same process)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import { detectEnv, falseAlarms, hitsPerPlanted } from '@tuban/workers/testing/detect-scene';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { misregistration: { type: 'string' }, coregister: { type: 'string', default: 'on' } },
});
const misregistrationPx = values.misregistration === undefined ? undefined : Number(values.misregistration);
if (misregistrationPx !== undefined && !(misregistrationPx >= 0 && misregistrationPx <= 64)) {
  console.error(`planted-recall: --misregistration needs pixels 0–64, got "${values.misregistration}"`);
  process.exit(1);
}
if (!['on', 'off', 'compare'].includes(values.coregister!)) {
  console.error(`planted-recall: --coregister must be on, off or compare, got "${values.coregister}"`);
  process.exit(1);
}
const settings = values.coregister === 'compare' ? [true, false] : [values.coregister === 'on'];

// The end-to-end test's scene (512 px, seed 11) and two larger ones; none is used in training.
const SCENES = [
  { size: 512, seed: 11, changes: 8 },
  { size: 1024, seed: 3 },
  { size: 1024, seed: 4 },
];
const MPP = 0.5;

const here = import.meta.dirname;
const models = positionals.length > 0
  ? positionals
  : readdirSync(here).filter((f) => f.endsWith('.onnx')).sort().map((f) => join(here, f));

for (const path of models) {
  const model = await loadOnnxChangeModel(path, 1);
  for (const coregister of settings) {
    const counts: string[] = [];
    let found = 0, planted = 0, alarms = 0, km2 = 0;
    const missedByKind = new Map<string, number>();
    for (const options of SCENES) {
      const env = await detectEnv('planted_recall', model);
      try {
        const scene = await renderDemoScene({ ...options, misregistrationPx });
        const { afterId } = await env.ingest(scene);
        const run = await env.detect(afterId, 300_000, { coregister });
        const hits = await hitsPerPlanted(env.db, run.id, scene);
        const sceneFound = hits.filter((h) => h > 0).length;
        hits.forEach((h, i) => {
          if (h > 0) return;
          const kind = scene.truth.features[i]!.properties.kind;
          missedByKind.set(kind, (missedByKind.get(kind) ?? 0) + 1);
        });
        counts.push(`${sceneFound}/${hits.length}`);
        found += sceneFound;
        planted += hits.length;
        alarms += await falseAlarms(env.db, run.id, scene);
        km2 += (options.size * MPP) ** 2 / 1e6;
      } finally {
        await env.close();
      }
    }
    const missed = [...missedByKind].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
    console.log(
      `${model.name} ${model.version} (${path.split('/').pop()}), misregistration ±${misregistrationPx ?? 3} px, co-registration ${coregister ? 'on' : 'off'}: ` +
        `${counts.join(', ')} = ${found}/${planted} (${((100 * found) / planted).toFixed(1)} %); missed: ${missed}; ` +
        `false alarms ${alarms} in ${km2.toFixed(2)} km² = ${(alarms / km2).toFixed(1)} per km²`,
    );
  }
}
process.exit(0);
