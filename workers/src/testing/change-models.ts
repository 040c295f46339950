// The change models the detection tests and the benchmark use: the committed ONNX model, or the classical baseline.
import { existsSync } from 'node:fs';
import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { DEFAULT_MODEL_PATH } from '@tuban/core/change/model-card';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';

export const MODEL_PATH = process.env.TUBAN_MODEL_PATH || DEFAULT_MODEL_PATH;
export const hasModel = (): boolean => existsSync(MODEL_PATH);

/** `nice` lowers the process's other threads, as a worker process does (DETECT_NICE): for child processes and the benchmark. */
export const onnxModel = (threads = 1, nice = 0): Promise<ChangeModel> => loadOnnxChangeModel(MODEL_PATH, threads, nice);

export const detectorModel = (): ChangeModel => new CvaBaseline({ metresPerPixel: 0.5 });
