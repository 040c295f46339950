import { Worker } from 'node:worker_threads';
import type { ChangeModel } from './change-model.js';
import { readModelCard } from './model-card.js';
import { favourModelThread, forgetModelThread } from './thread-priority.js';

const THREAD = new URL('./inference-thread.mjs', import.meta.url);

type Reply = { ready: true; tid: number | null } | { id: number; output: Float32Array; input: Float32Array<ArrayBuffer> } | { id: number; error: string };

/** Input arrays handed back by the thread, kept for the next requests: a detection run's chunks are all one size. */
const SPARE_INPUTS = 4;

/** How every session of a change model is made: the CPU, `threads` intra-op threads (workers scale by processes). */
const sessionOptions = (threads: number) => ({ executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });

/**
 * An ONNX change model as everything runs it (the detection worker, evaluation, the benches): one session
 * on a thread of its own. `predict` hands the input's buffer over to that thread (the caller's array is left empty).
 * With `nice` > 0 every other thread of the process is lowered to that niceness once the model's thread
 * runs (see thread-priority.ts); meant for worker processes, not for a process that does other work.
 */
export async function loadOnnxChangeModel(modelPath: string, threads = 1, nice = 0): Promise<ChangeModel> {
  const card = await readModelCard(modelPath);
  const thread = new InferenceThread(modelPath, threads, nice);
  await thread.start();
  return {
    name: card.name,
    version: card.version,
    threshold: card.defaultThreshold,
    metresPerPixel: card.metresPerPixel,
    gsdRange: card.gsdRange,
    sizeMultipleOf: card.sizeMultipleOf,
    predict(input, n, size) {
      if (size % card.sizeMultipleOf !== 0) {
        return Promise.reject(new Error(`window of ${size} px is not a multiple of ${card.sizeMultipleOf}, as model ${card.name} needs`));
      }
      return thread.run(input, [n, 6, size, size]);
    },
    inputBuffer: (length) => thread.spareInput(length) ?? new Float32Array(length),
  };
}

class InferenceThread {
  private worker: Worker | null = null;
  private started: Promise<void> | null = null;
  private readonly pending = new Map<number, { resolve: (out: Float32Array) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private readonly spares: Float32Array<ArrayBuffer>[] = [];
  /** The Linux thread id of the running thread, where known. */
  tid: number | null = null;

  constructor(
    private readonly modelPath: string,
    private readonly threads: number,
    /** with nice > 0, every other thread is lowered to it once this one runs (see thread-priority.ts) */
    private readonly nice: number,
  ) {}

  /** Starts the thread (again, after one stopped); resolves once its session is loaded. */
  start(): Promise<void> {
    this.started ??= new Promise((resolve, reject) => {
      const worker = new Worker(THREAD, { workerData: { modelPath: this.modelPath, options: sessionOptions(this.threads) } });
      this.worker = worker;
      // Held only while a request is out, so an idle model never keeps a process alive.
      worker.unref();
      let ready = false;
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) {
          ready = true;
          this.tid = reply.tid;
          if (this.nice > 0 && this.tid !== null && !favourModelThread(this.tid, this.nice)) warnLoweredOnce(this.modelPath, this.nice);
          return resolve();
        }
        const request = this.pending.get(reply.id);
        if (!request) return;
        this.pending.delete(reply.id);
        if (this.pending.size === 0) worker.unref();
        if ('error' in reply) return request.reject(new Error(`model ${this.modelPath}: ${reply.error}`));
        if (this.spares.length < SPARE_INPUTS) this.spares.push(reply.input);
        request.resolve(reply.output);
      });
      const stopped = (why: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.started = null;
        if (this.tid !== null) forgetModelThread(this.tid);
        const failure = new Error(`inference thread for ${this.modelPath} ${ready ? 'stopped' : 'could not start'}: ${why}`);
        if (!ready) reject(failure);
        for (const request of this.pending.values()) request.reject(failure);
        this.pending.clear();
      };
      worker.once('error', (err) => stopped(err.message));
      worker.once('exit', (code) => stopped(`exit code ${code}`));
    });
    return this.started;
  }

  /** An input array the thread handed back, `length` values long (its contents are the last request's), if one is spare. */
  spareInput(length: number): Float32Array<ArrayBuffer> | undefined {
    const i = this.spares.findIndex((a) => a.length === length);
    return i < 0 ? undefined : this.spares.splice(i, 1)[0];
  }

  async run(input: Float32Array, dims: number[]): Promise<Float32Array> {
    await this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    const owned = input.byteOffset === 0 && input.byteLength === input.buffer.byteLength ? input : input.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, input: owned, dims }, [owned.buffer as ArrayBuffer]);
    });
  }
}

let warnedLowered = false;
function warnLoweredOnce(modelPath: string, nice: number): void {
  if (warnedLowered) return;
  warnedLowered = true;
  console.warn(
    `[model] the inference thread for ${modelPath} runs at nice ${nice} like the threads beside it: this process may not raise a ` +
      'thread\'s priority (give it CAP_SYS_NICE, or restart the worker after a new model version is promoted)',
  );
}
