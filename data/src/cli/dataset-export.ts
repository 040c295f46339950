// `tuban dataset export`: a training set from the office's decisions, written where the command runs.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { exportTrainingSet, parseLabelFilter } from '@tuban/core/learning/training-set';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import { openStorage } from '@tuban/core/storage/storage';

export async function exportDataset(argv: string[], usage: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      streets: { type: 'string' },
      background: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals[0] !== 'export' || positionals.length !== 1) throw new Error(`unknown dataset command "${positionals.join(' ')}"; try: tuban dataset export --out DIR`);
  if (!values.out) throw new Error('--out DIR is required: the folder the training set is written to');
  const background = values.background === undefined ? undefined : Number(values.background);
  if (background !== undefined && !(Number.isFinite(background) && background >= 0)) throw new Error(`--background "${values.background}" is not a number ≥ 0`);
  const filter = parseLabelFilter({ since: values.since, streets: values.streets });
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL, { max: 2 });
  try {
    const reader = imageryTileReader(pool, (await openStorage(config, pool)).tiles);
    const manifest = await exportTrainingSet(pool, reader, { ...filter, out: resolve(values.out), backgroundPerLabel: background });
    const { train, val } = manifest.counts;
    process.stdout.write(
      `${values.out}: train ${train.change} change, ${train.no_change} no-change, ${train.background} background; ` +
        `validation ${val.change} change, ${val.no_change} no-change, ${val.background} background\n`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}
