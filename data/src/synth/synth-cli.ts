// Usage: npm run synth -- --count N --out DIR [--seed S] [--size PX] [--mpp M] [--misregistration PX]
// Writes N synthetic before/after pairs with change masks as DIR/{A,B,label}/NNNNN.png and DIR/planted.json.
// Pair i uses seed S * 1_000_003 + i, so any pair can be regenerated alone from the API.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePair, type PlantedBox } from './generate.js';
import { writePair } from './write.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '256' },
    mpp: { type: 'string', default: '0.5' },
    misregistration: { type: 'string', default: '3' },
  },
});

function intArg(name: string, raw: string | undefined, min: number): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < min) {
    console.error(`synth: --${name} needs an integer ≥ ${min}, got ${raw === undefined ? 'nothing' : `"${raw}"`}`);
    process.exit(1);
  }
  return n;
}

const count = intArg('count', values.count, 1);
const seed = intArg('seed', values.seed, 0);
const size = intArg('size', values.size, 16);
const mpp = Number(values.mpp);
const misregistrationPx = Number(values.misregistration);
if (!(misregistrationPx >= 0 && misregistrationPx <= 64)) {
  console.error(`synth: --misregistration needs a number of pixels 0–64, got "${values.misregistration}"`);
  process.exit(1);
}
if (!values.out) {
  console.error('synth: --out DIR is required');
  process.exit(1);
}
if (!(mpp > 0)) {
  console.error(`synth: --mpp needs a positive number, got "${values.mpp}"`);
  process.exit(1);
}

const started = performance.now();
await mkdir(values.out, { recursive: true });
const planted: Record<string, PlantedBox[]> = {};
for (let i = 0; i < count; i++) {
  const name = String(i).padStart(5, '0');
  const pair = generatePair({ seed: pairSeed(seed, i), size, metresPerPixel: mpp, misregistrationPx });
  await writePair(values.out, name, pair);
  planted[name] = pair.planted;
  if ((i + 1) % 100 === 0) console.log(`synth: ${i + 1}/${count}`);
}
await writeFile(join(values.out, 'planted.json'), JSON.stringify({ seed, size, metresPerPixel: mpp, misregistrationPx, planted }) + '\n');
console.log(`synth: ${count} pairs in ${values.out} (${Math.round(performance.now() - started)} ms)`);

function pairSeed(base: number, i: number): number {
  return (base * 1_000_003 + i) >>> 0;
}
