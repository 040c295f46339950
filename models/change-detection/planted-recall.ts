// How many planted changes a change model finds through the real detection pipeline (ingest into z18 tiles,
// batches, merge) on the product's own demo scenes: the check that decides which model ships, since the
// product's job is small changes in built-up blocks. Needs PostGIS and Redis (bash scripts/services.sh start).
// Usage: npx tsx models/change-detection/planted-recall.ts [model.onnx …]   (default: the committed models)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import { detectEnv, hitsPerPlanted } from '@tuban/workers/testing/detect-scene';

// The end-to-end test's scene (512 px, seed 11) and two larger ones; none is used in training.
const SCENES = [
  { size: 512, seed: 11, changes: 8 },
  { size: 1024, seed: 3 },
  { size: 1024, seed: 4 },
];

const here = import.meta.dirname;
const models = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync(here).filter((f) => f.endsWith('.onnx')).sort().map((f) => join(here, f));

for (const path of models) {
  const model = await loadOnnxChangeModel(path, 1);
  const counts: string[] = [];
  let found = 0, planted = 0;
  const missedByKind = new Map<string, number>();
  for (const options of SCENES) {
    const env = await detectEnv('planted_recall', model);
    try {
      const scene = await renderDemoScene(options);
      const { afterId } = await env.ingest(scene);
      const run = await env.detect(afterId, 300_000);
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
    } finally {
      await env.close();
    }
  }
  const missed = [...missedByKind].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(`${model.name} ${model.version} (${path.split('/').pop()}): ${counts.join(', ')} = ${found}/${planted}; missed: ${missed}`);
}
process.exit(0);
