// Training sets from the office's decisions: before/after chips at the detection zoom around every labelled
// spot, plus undisturbed background tiles of the same runs, with change masks, in the LEVIR-CD layout
// (<split>/A, <split>/B, <split>/label) and a manifest. The same data always gives byte-identical files.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { backgroundTiles, labelledCandidates, type LabelFilter, type LabelledCandidate } from '../db/training-labels.js';
import type { Queryable } from '../db/pool.js';
import { Invalid } from '../errors.js';
import { TILE_SIZE } from '../geo/tiles.js';
import { lonLatToGlobalPixel } from '../geo/web-mercator-pixels.js';
import { cutWindowRgbPng, type PixelWindow } from '../raster/mosaic.js';
import type { TileReader } from '../tiles/imagery-tile-reader.js';
import { openSetWriter, type TrainingSetOut } from './training-set-writer.js';
import { CHANGE_STATUSES, candidateSplit, dismissalsLabelled, labelOf, stableFraction, VALIDATION_SHARE, type Label, type Split } from './labels.js';

export const CHIP_SIZE = TILE_SIZE;
/** Undisturbed background chips per labelled spot, by default. */
export const BACKGROUND_PER_LABEL = 1;

export interface ChipRecord {
  name: string;
  split: Split;
  label: Label | 'background';
  candidateId: number | null;
  decisionEventId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
  runId: number;
  zoom: number;
  /** the window's top-left corner in global pixels at `zoom` */
  left: number;
  top: number;
  beforeImageryId: number;
  afterImageryId: number;
}

export interface TrainingSetManifest {
  format: 'tuban-training-set';
  formatVersion: 1;
  filters: { since: string | null; streets: string[] | null };
  labelRule: { change: { statuses: string[]; dismissReasons: string[] }; noChange: { dismissReasons: string[] } };
  validation: { share: number; by: string };
  chipSize: number;
  imagery: number[];
  counts: Record<Split, Record<Label | 'background', number>>;
  /** labelled spots left out of training because their chip would show a validation spot */
  skippedNearValidation: number[];
  chips: ChipRecord[];
  /** SHA-256 of every file, by its path inside the set */
  files: Record<string, string>;
}

export interface ExportOptions extends LabelFilter {
  /** a folder, or a key prefix in an object store (training-sets/<name>) */
  out: TrainingSetOut;
  backgroundPerLabel?: number;
  /** replace what is at `out` (a retried job); otherwise an existing non-empty folder or prefix is refused */
  replace?: boolean;
}

/**
 * Writes a training set to `out` and returns its manifest. It appears in one step: a folder is written under a
 * staging name and renamed into place; under a key prefix the manifest is written last, and a set is there once
 * its manifest is.
 */
export async function exportTrainingSet(db: Queryable, readTile: TileReader, options: ExportOptions): Promise<TrainingSetManifest> {
  const writer = await openSetWriter(options.out, options.replace ?? false);
  const rule = { statuses: CHANGE_STATUSES, dismissReasons: [...dismissalsLabelled('change'), ...dismissalsLabelled('no_change')] };
  const labelled = await labelledCandidates(db, rule, options);
  if (labelled.length === 0) throw new Invalid(`no decided candidates match${describeFilter(options)}: nothing to learn from`);
  await writer.begin();
  const files: Record<string, string> = {};
  const write = async (path: string, data: Buffer) => {
    await writer.put(path, data);
    files[path] = createHash('sha256').update(data).digest('hex');
  };
  try {
    const chips: ChipRecord[] = [];
    const skipped: number[] = [];
    const validation = labelled.filter((c) => candidateSplit(c.id) === 'val');
    for (const c of labelled) {
      const record = labelledChip(c);
      if (record.split === 'train' && validation.some((v) => touches(v, record))) {
        skipped.push(c.id);
        continue;
      }
      if (await writeChip(readTile, record, changeOutlines(labelled, record), write)) chips.push(record);
    }
    const runIds = [...new Set(labelled.map((c) => c.runId))].sort((a, b) => a - b);
    const limit = Math.round(labelled.length * (options.backgroundPerLabel ?? BACKGROUND_PER_LABEL));
    for (const t of limit > 0 ? await backgroundTiles(db, runIds, limit) : []) {
      const record: ChipRecord = {
        name: `bg-${t.afterImageryId}-${t.zoom}-${t.x}-${t.y}`,
        split: stableFraction(`tile:${t.afterImageryId}/${t.zoom}/${t.x}/${t.y}`) < VALIDATION_SHARE ? 'val' : 'train',
        label: 'background',
        candidateId: null,
        decisionEventId: null,
        decidedBy: null,
        decidedAt: null,
        runId: t.runId,
        zoom: t.zoom,
        left: t.x * TILE_SIZE,
        top: t.y * TILE_SIZE,
        beforeImageryId: t.beforeImageryId,
        afterImageryId: t.afterImageryId,
      };
      if (await writeChip(readTile, record, [], write)) chips.push(record);
    }
    chips.sort((a, b) => (a.split === b.split ? (a.name < b.name ? -1 : 1) : a.split < b.split ? -1 : 1));
    const manifest = buildManifest(options, chips, skipped, files);
    await writer.publish(Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
    return manifest;
  } catch (err) {
    // the error that stopped the export is the one to report; the next attempt's begin() clears what is left
    await writer.discard().catch(() => undefined);
    throw err;
  }
}

const describeFilter = (f: LabelFilter) =>
  (f.since ? ` since ${f.since}` : '') + (f.streets?.length ? ` in streets ${f.streets.join(', ')}` : '');

/** The chip centred on a labelled spot's bounds (a spot larger than a chip shows its middle). */
function labelledChip(c: LabelledCandidate): ChipRecord {
  const [west, south, east, north] = c.bbox;
  const [x0, y0] = lonLatToGlobalPixel(west, north, c.zoom);
  const [x1, y1] = lonLatToGlobalPixel(east, south, c.zoom);
  return {
    name: `c${c.id}`,
    split: candidateSplit(c.id),
    label: labelOf(c.status, c.dismissReason)!,
    candidateId: c.id,
    decisionEventId: c.decisionEventId,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
    runId: c.runId,
    zoom: c.zoom,
    left: Math.round((x0 + x1) / 2 - CHIP_SIZE / 2),
    top: Math.round((y0 + y1) / 2 - CHIP_SIZE / 2),
    beforeImageryId: c.beforeImageryId,
    afterImageryId: c.afterImageryId,
  };
}

/** Whether a spot's bounds reach into a chip's window (same after image and zoom). */
function touches(c: LabelledCandidate, chip: ChipRecord): boolean {
  if (c.afterImageryId !== chip.afterImageryId || c.zoom !== chip.zoom) return false;
  const [west, south, east, north] = c.bbox;
  const [x0, y0] = lonLatToGlobalPixel(west, north, c.zoom);
  const [x1, y1] = lonLatToGlobalPixel(east, south, c.zoom);
  return x1 > chip.left && x0 < chip.left + CHIP_SIZE && y1 > chip.top && y0 < chip.top + CHIP_SIZE;
}

/** Every change outline of the same after image that reaches into the chip: the mask's 255 pixels. */
const changeOutlines = (labelled: LabelledCandidate[], chip: ChipRecord): LabelledCandidate[] =>
  labelled.filter((c) => labelOf(c.status, c.dismissReason) === 'change' && touches(c, chip));

/** Writes A/, B/ and label/ of one chip; false (and nothing written) where either date has no tile there. */
async function writeChip(
  readTile: TileReader,
  chip: ChipRecord,
  outlines: LabelledCandidate[],
  write: (path: string, data: Buffer) => Promise<void>,
): Promise<boolean> {
  const window: PixelWindow = { left: chip.left, top: chip.top, width: CHIP_SIZE, height: CHIP_SIZE };
  const before = await cutWindowRgbPng((z, x, y) => readTile(chip.beforeImageryId, z, x, y), chip.zoom, window);
  const after = await cutWindowRgbPng((z, x, y) => readTile(chip.afterImageryId, z, x, y), chip.zoom, window);
  if (!before || !after) return false;
  await write(`${chip.split}/A/${chip.name}.png`, before);
  await write(`${chip.split}/B/${chip.name}.png`, after);
  await write(`${chip.split}/label/${chip.name}.png`, await rasterise(outlines, chip));
  return true;
}

/** The outlines burnt into a single-band PNG: 255 inside (holes excluded), 0 elsewhere, no grey edge. */
async function rasterise(outlines: LabelledCandidate[], chip: ChipRecord): Promise<Buffer> {
  const path = outlines
    .flatMap((c) => c.geometry.coordinates.flat())
    .map(
      (ring) =>
        ring
          .map(([lon, lat], i) => {
            const [x, y] = lonLatToGlobalPixel(lon!, lat!, chip.zoom);
            return `${i === 0 ? 'M' : 'L'}${(x - chip.left).toFixed(3)} ${(y - chip.top).toFixed(3)}`;
          })
          .join(' ') + ' Z',
    )
    .join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CHIP_SIZE}" height="${CHIP_SIZE}">` +
    `<rect width="100%" height="100%" fill="#000"/>${path ? `<path d="${path}" fill="#fff" fill-rule="evenodd"/>` : ''}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const mask = Buffer.from(data.map((v) => (v >= 128 ? 255 : 0)));
  return sharp(mask, { raw: { width: CHIP_SIZE, height: CHIP_SIZE, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
}

function buildManifest(options: ExportOptions, chips: ChipRecord[], skipped: number[], files: Record<string, string>): TrainingSetManifest {
  const zero = () => ({ change: 0, no_change: 0, background: 0 });
  const counts: TrainingSetManifest['counts'] = { train: zero(), val: zero() };
  for (const c of chips) counts[c.split][c.label]++;
  const imagery = [...new Set(chips.flatMap((c) => [c.beforeImageryId, c.afterImageryId]))].sort((a, b) => a - b);
  return {
    format: 'tuban-training-set',
    formatVersion: 1,
    filters: { since: options.since ?? null, streets: options.streets?.length ? [...options.streets].sort() : null },
    labelRule: {
      change: { statuses: [...CHANGE_STATUSES], dismissReasons: dismissalsLabelled('change') },
      noChange: { dismissReasons: dismissalsLabelled('no_change') },
    },
    validation: { share: VALIDATION_SHARE, by: 'sha256("candidate:<id>"), first 4 bytes / 2^32 < share' },
    chipSize: CHIP_SIZE,
    imagery,
    counts,
    skippedNearValidation: skipped,
    chips,
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** A filter as people type it (a date, comma-separated street codes), checked; a clear error names what is wrong. */
export function parseLabelFilter(input: { since?: string; streets?: string | string[] }): LabelFilter {
  const filter: LabelFilter = {};
  if (input.since !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.since) || Number.isNaN(Date.parse(`${input.since}T00:00:00Z`)))
      throw new Invalid(`since "${input.since}" is not a date (YYYY-MM-DD)`);
    filter.since = input.since;
  }
  if (input.streets !== undefined) {
    const codes = (Array.isArray(input.streets) ? input.streets : input.streets.split(',')).map((s) => s.trim()).filter(Boolean);
    const bad = codes.find((c) => !/^\d{9}$/.test(c));
    if (bad !== undefined) throw new Invalid(`street "${bad}" is not a street code (nine digits, e.g. 310107005)`);
    if (codes.length) filter.streets = codes;
  }
  return filter;
}
