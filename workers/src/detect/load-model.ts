import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import type { Config } from '@tuban/core/config';
import { findModelVersion } from '@tuban/core/db/model-versions';
import type { Pool } from '@tuban/core/db/pool';
import { modelFiles, verifiedModelFile, type ModelFiles } from '@tuban/core/learning/model-files';
import { activeModelVersion } from '@tuban/core/learning/model-versions';
import type { ObjectStore } from '@tuban/core/storage/object-store';

/** A change model by version; without one, the version active now. */
export type ChangeModelSource = (version?: string) => Promise<ChangeModel>;

type ModelConfig = Pick<Config, 'CHANGE_DETECTOR' | 'CHANGE_MODEL_PATH' | 'DETECT_THREADS' | 'DETECT_NICE' | 'DATA_DIR'>;

/**
 * The change models this worker runs: the classical baseline, or the ONNX model versions of model_versions. The
 * active version is looked up at each call, so a promotion reaches running workers at their next run; each
 * version's session is loaded once and kept (a run's batches keep using the version the run was planned with).
 * A trained version's file comes from the object store (through DATA_DIR/tmp/models when that is S3).
 */
export function changeModelSource(config: ModelConfig, db: Pool, objects: ObjectStore): ChangeModelSource {
  if (config.CHANGE_DETECTOR === 'baseline') {
    const baseline = new CvaBaseline();
    return async () => baseline;
  }
  const files = modelFiles(objects, config.DATA_DIR);
  const loaded = new Map<string, Promise<ChangeModel>>();
  return async (version) => {
    const wanted = version ?? (await activeModelVersion(db, config.CHANGE_MODEL_PATH)).version;
    let model = loaded.get(wanted);
    if (!model) {
      model = loadVersion(config, db, files, wanted);
      loaded.set(wanted, model);
      // A version that failed to load is tried again next time (its file may have been restored meanwhile).
      model.catch(() => loaded.delete(wanted));
    }
    return model;
  };
}

async function loadVersion(config: ModelConfig, db: Pool, files: ModelFiles, version: string): Promise<ChangeModel> {
  const row = await findModelVersion(db, version);
  if (!row) throw new Error(`model version ${version} is not recorded in model_versions`);
  const model = await loadOnnxChangeModel(await verifiedModelFile(row, files), config.DETECT_THREADS, config.DETECT_NICE);
  return { ...model, version: row.version };
}
