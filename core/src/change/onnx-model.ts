import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { checkPair, type ChangeDetector, type ImagePair } from './detector.js';

/** The JSON card beside each .onnx file (DESIGN.md §4); only the fields inference needs are typed. */
export interface ModelCard {
  name: string;
  version: string;
  height: number;
  width: number;
  sizeMultipleOf: number;
  metresPerPixel: number;
  defaultThreshold: number;
  [key: string]: unknown;
}

export const DEFAULT_MODEL_PATH = new URL('../../../models/change-detection/tuban-change.onnx', import.meta.url).pathname;

export interface SessionOptions {
  /** intra-op threads (default 1: workers scale by processes, not threads) */
  threads?: number;
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/** How every session of a change model is made (also by the detection worker's inference thread). */
export function sessionOptions(options: SessionOptions = {}): ort.InferenceSession.SessionOptions {
  return { executionProviders: ['cpu'], intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
}

/**
 * One session per model file per process: creating a session costs far more than a run, and several sessions
 * would compete for the same cores. The first caller's thread count wins.
 */
export function loadSession(modelPath: string, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  let session = sessions.get(modelPath);
  if (!session) {
    session = ort.InferenceSession.create(modelPath, sessionOptions(options));
    sessions.set(modelPath, session);
    session.catch(() => sessions.delete(modelPath));
  }
  return session;
}

export async function readModelCard(modelPath: string): Promise<ModelCard> {
  const cardPath = modelPath.replace(/\.onnx$/, '.card.json');
  let card: ModelCard;
  try {
    card = JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard;
  } catch (err) {
    throw new Error(`model card ${cardPath} is missing or not JSON: ${(err as Error).message}`);
  }
  for (const key of ['name', 'version', 'height', 'width', 'sizeMultipleOf', 'defaultThreshold'] as const)
    if (card[key] === undefined) throw new Error(`model card ${cardPath} has no "${key}"`);
  return card;
}

/** Runs `pair` [N,6,H,W] → `change` [N,1,H,W] directly (no tiling); H and W must suit the model. */
export async function runRaw(session: ort.InferenceSession, input: Float32Array, dims: [number, number, number, number]): Promise<Float32Array> {
  const out = await session.run({ pair: new ort.Tensor('float32', input, dims) });
  const change = out.change;
  if (!change) throw new Error('model has no "change" output');
  return change.data as Float32Array;
}

/** The trained model behind the ChangeDetector interface; images of any size are tiled at the card's size. */
export class OnnxChangeModel implements ChangeDetector {
  readonly name: string;
  readonly version: string;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly card: ModelCard,
    private readonly batch: number,
  ) {
    this.name = card.name;
    this.version = card.version;
  }

  static async load(modelPath = DEFAULT_MODEL_PATH, options: SessionOptions & { batch?: number } = {}): Promise<OnnxChangeModel> {
    const card = await readModelCard(modelPath);
    return new OnnxChangeModel(await loadSession(modelPath, options), card, options.batch ?? 4);
  }

  async detect(pairs: readonly ImagePair[]): Promise<Float32Array[]> {
    pairs.forEach(checkPair);
    const results: Float32Array[] = [];
    for (const pair of pairs) results.push(await this.detectOne(pair));
    return results;
  }

  private async detectOne(pair: ImagePair): Promise<Float32Array> {
    const { width, height } = pair;
    const m = this.card.sizeMultipleOf;
    const tw = Math.min(this.card.width, Math.ceil(width / m) * m);
    const th = Math.min(this.card.height, Math.ceil(height / m) * m);
    const tiles: [number, number][] = [];
    for (let y = 0; y < height; y += th) for (let x = 0; x < width; x += tw) tiles.push([x, y]);
    const out = new Float32Array(width * height);
    const plane = tw * th;
    for (let start = 0; start < tiles.length; start += this.batch) {
      const group = tiles.slice(start, start + this.batch);
      const input = new Float32Array(group.length * 6 * plane);
      group.forEach(([x0, y0], t) => {
        for (let y = 0; y < th; y++) {
          // Edge pixels repeat past the image border so padded tiles see plausible content.
          const sy = Math.min(height - 1, y0 + y);
          for (let x = 0; x < tw; x++) {
            const s = (sy * width + Math.min(width - 1, x0 + x)) * 3;
            const o = t * 6 * plane + y * tw + x;
            for (let c = 0; c < 3; c++) {
              input[o + c * plane] = pair.before[s + c]! / 255;
              input[o + (c + 3) * plane] = pair.after[s + c]! / 255;
            }
          }
        }
      });
      const change = await runRaw(this.session, input, [group.length, 6, th, tw]);
      group.forEach(([x0, y0], t) => {
        for (let y = 0; y < th && y0 + y < height; y++)
          for (let x = 0; x < tw && x0 + x < width; x++) out[(y0 + y) * width + x0 + x] = change[t * plane + y * tw + x]!;
      });
    }
    return out;
  }
}
