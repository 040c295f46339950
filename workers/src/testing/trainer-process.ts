// The Python trainer (models/trainer) as a child process on a test's schema, queue prefix, data folder and store.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@tuban/core/config';

const ROOT = new URL('../../..', import.meta.url).pathname;
export const TRAINER_PYTHON = join(ROOT, 'models/.venv/bin/python');

/** Whether models/.venv can run the trainer (made by models/setup-venv.sh). */
export const trainerAvailable = (): boolean =>
  existsSync(TRAINER_PYTHON) && spawnSync(TRAINER_PYTHON, ['-c', 'import torch, bullmq, psycopg, onnx, boto3'], { stdio: 'ignore' }).status === 0;

export interface TrainerProcessOptions {
  /** the database schema the test works in */
  schema: string;
  prefix: string;
  /** its working folder, and where every file is kept unless `storageUrl` names a store */
  dataDir: string;
  /** STORAGE_URL (an S3 store in the S3 tests); the folder dataDir when left out */
  storageUrl?: string;
  /** more environment (TRAIN_LOCK_MS, TRAIN_SYNTHETIC_DIR, …) */
  env?: Record<string, string>;
}

export function startTrainerProcess(o: TrainerProcessOptions): ChildProcess {
  const config = loadConfig();
  return spawn(TRAINER_PYTHON, ['-m', 'tuban_trainer'], {
    cwd: join(ROOT, 'models/trainer'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: `${config.DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${o.schema},public`)}`,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: o.prefix,
      DATA_DIR: o.dataDir,
      STORAGE_URL: o.storageUrl ?? '',
      ...o.env,
    },
  });
}
