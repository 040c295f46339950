import { UnrecoverableError } from 'bullmq';
import { Invalid } from '@tuban/core/errors';
import { JobName } from '@tuban/core/jobs/queues';
import { exportTrainingSet } from '@tuban/core/learning/training-set';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import type { WorkerContext } from './context.js';
import type { Handler } from './handlers.js';

/** Writes a training set into the object store under `out`; a retry replaces what an interrupted attempt left. */
export function trainingSetHandler({ db, objects, tileStore }: WorkerContext): Handler<typeof JobName.TrainingSetExport> {
  return async (job) => {
    const { out, since, streets, backgroundPerLabel } = job.data;
    if (!/^training-sets\/[A-Za-z0-9_-]+$/.test(out)) throw new UnrecoverableError(`bad training-set folder ${JSON.stringify(out)}`);
    try {
      const manifest = await exportTrainingSet(db, imageryTileReader(db, tileStore), {
        out: { objects, prefix: out },
        since,
        streets,
        backgroundPerLabel,
        replace: true,
      });
      return { out, chips: manifest.chips.length, counts: manifest.counts };
    } catch (err) {
      // no matching decisions, or a bad filter: retrying cannot help
      if (err instanceof Invalid) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}
