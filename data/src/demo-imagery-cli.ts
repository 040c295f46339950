// Usage: npm run demo-imagery -- --out DIR [--seed S] [--size PX] [--changes N]
// Writes a georeferenced before/after GeoTIFF pair over Putuo (UTM 51N, 0.5 m/px) and the planted changes as GeoJSON.
import { parseArgs } from 'node:util';
import { writeDemoImagery } from './demo-imagery.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '2048' },
    changes: { type: 'string' },
  },
});

function intArg(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`demo-imagery: --${name} needs an integer ${min}–${max}, got "${raw}"`);
    process.exit(1);
  }
  return n;
}

if (!values.out) {
  console.error('demo-imagery: --out DIR is required');
  process.exit(1);
}
const started = performance.now();
const out = await writeDemoImagery(values.out, {
  seed: intArg('seed', values.seed, 0, 2 ** 32 - 1),
  size: intArg('size', values.size, 64, 3456),
  changes: intArg('changes', values.changes, 0, 500),
});
console.log(`demo-imagery: ${out.before}\ndemo-imagery: ${out.after}\ndemo-imagery: ${out.truth}`);
console.log(
  `demo-imagery: ${out.planted} planted changes, ${out.straddling} across a z18 tile border` +
    (out.cached ? ' (cached)' : ` (${Math.round(performance.now() - started)} ms)`),
);
