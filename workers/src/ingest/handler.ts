// The `ingest-imagery` job: status uploaded → ingesting → ready | failed around ingestRaster. Safe to run
// again for the same item (a retry, or a worker killed mid-way): each run starts from scratch and
// publishes the whole pyramid at once; the item becomes ready only after its tiles are published.
import { join } from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import { failIfStillIngesting, getIngestContext, markFailed, markIngesting, markReady } from '@tuban/core/db/imagery';
import { failedForGood } from '@tuban/core/jobs/job-options';
import { JobName, type JobPayloads, type JobResults } from '@tuban/core/jobs/queues';
import { closeCoveredSuggestions } from '@tuban/core/db/refly';
import { uploadObjects } from '@tuban/core/storage/storage';
import { imageryItem } from '@tuban/core/tiles/tile-store';
import type { WorkerContext } from '../context.js';
import type { Handler, JobOf } from '../handlers.js';
import { IngestInputError } from './errors.js';
import { ingestRaster } from './ingest.js';
import { clearEvidencePhotoFields, markEvidencePhotoReady } from '@tuban/core/db/evidence-photos';
import { ingestEvidencePhoto } from './evidence-photo.js';
import { ingestTileSet } from './tileset.js';
import { detectInputKind } from './tileset-source.js';
import { fileSource, objectSource, type IngestSource } from './source.js';

export function ingestImageryHandler(ctx: WorkerContext): Handler<typeof JobName.IngestImagery> {
  return (job) => ingestImagery(ctx, job);
}

async function ingestImagery(
  { db, tileStore: store, objects, config }: WorkerContext,
  job: JobOf<typeof JobName.IngestImagery>,
): Promise<JobResults[typeof JobName.IngestImagery]> {
  const { imageryId } = job.data;
  const source = job.data.sourceKey !== undefined
    ? objectSource(uploadObjects(objects), job.data.sourceKey, join(config.DATA_DIR, 'tmp'))
    : fileSource(job.data.sourcePath);
  const ctx = await getIngestContext(db, imageryId);
  if (!ctx) throw new UnrecoverableError(`imagery ${imageryId} does not exist`);
  const item = imageryItem(imageryId);
  await markIngesting(db, imageryId);
  try {
    const options = {
      maxPixels: config.RASTER_MAX_PIXELS,
      format: config.TILE_FORMAT,
      onProgress: (done: number, total: number) => void job.updateProgress({ done, total }).catch(() => undefined),
    };
    const input = await detectInputKind(source);
    if (ctx.kind === 'photo' || input === 'jpeg') {
      await clearEvidencePhotoFields(db, imageryId);
      if (input !== 'jpeg') throw new IngestInputError('the photo is not a JPEG file', { code: 'ingest_photo_not_jpeg' });
      const photo = await withLocalFile(source, (path) => ingestEvidencePhoto(path, store, item));
      await markEvidencePhotoReady(db, imageryId, { ...photo, capturedAt: ctx.capturedAt ?? photo.dateTime ?? ctx.flightFlownAt });
      return { imageryId, tiles: 0 };
    }
    const result = input === 'mbtiles' || input === 'zip'
      ? await withLocalFile(source, (path) => ingestTileSet(path, input, store, item, options))
      : await ingestRaster(source, store, item, options);
    await markReady(db, imageryId, {
      ...result,
      capturedAt: ctx.capturedAt ?? result.dateTime ?? ctx.flightFlownAt,
      tileFormat: config.TILE_FORMAT,
    });
    // Not fatal: the imagery is ready either way, and every refresh of the suggestions closes covered ones too.
    await closeCoveredSuggestions(db, imageryId).catch((err: Error) => job.log(`re-fly suggestions not closed: ${err.message}`));
    await job.updateProgress({ done: result.tileCount, total: result.tileCount }).catch(() => undefined);
    return { imageryId, tiles: result.tileCount };
  } catch (err) {
    await store.remove(item);
    if (err instanceof IngestInputError) {
      await markFailed(db, imageryId, err.message, { code: err.code, params: err.params });
      throw new UnrecoverableError(err.message);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (err as NodeJS.ErrnoException).path === source.name) {
      const message = 'the uploaded file is missing on the server; upload it again';
      await markFailed(db, imageryId, message, { code: 'ingest_file_missing' });
      throw new UnrecoverableError(message);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
      await markFailed(db, imageryId, "the server's disk is full (no space left while writing tiles); nothing was kept. An administrator must free space; the ingest is retried", { code: 'ingest_disk_full' });
      throw err;
    }
    await markFailed(db, imageryId, `ingest failed (will be retried): ${(err as Error).message}`, {
      code: 'ingest_retrying', params: { message: (err as Error).message },
    });
    throw err;
  }
}

/** MBTiles (SQLite), zips and photos are read from a local file: a temporary copy when the source is in S3. */
async function withLocalFile<T>(source: IngestSource, work: (path: string) => Promise<T>): Promise<T> {
  const local = await source.localFile();
  try {
    return await work(local.path);
  } finally {
    await local.release();
  }
}

/**
 * For the worker's `failed` event: a job that failed for good without the handler recording it (a worker
 * killed again and again, so BullMQ gave up on a stalled job) must not leave its item `ingesting`.
 */
export async function recordIngestFailure(
  { db, tileStore }: Pick<WorkerContext, 'db' | 'tileStore'>,
  job: Job | undefined,
  err: Error,
): Promise<void> {
  if (!job || job.name !== JobName.IngestImagery || !failedForGood(job, err)) return;
  const { imageryId } = job.data as JobPayloads[typeof JobName.IngestImagery];
  const stopped = { code: 'ingest_stopped', params: { message: err.message } };
  if (await failIfStillIngesting(db, imageryId, `ingest stopped: ${err.message}; upload the file again`, stopped)) {
    await tileStore.remove(imageryItem(imageryId));
  }
}
