// The detection worker's inference thread: one onnxruntime session, runs one request at a time.
// onnxruntime-node runs a session on the thread that calls it, so running it here leaves the worker's main
// thread free to read, decode and vectorise other tiles meanwhile. Plain JavaScript so that it starts the
// same under tsx, vitest and compiled code.
//   workerData: { modelPath, options }  (options: onnxruntime session options)
//   ready:      { ready: true, tid }  (tid: this thread's Linux thread id, or null)
//   request:    { id, input: Float32Array, dims }  → reply { id, output: Float32Array, input } or { id, error }
//               (the input's buffer goes back with the answer, for the caller to fill again)
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

const session = await ort.InferenceSession.create(workerData.modelPath, workerData.options);
parentPort.on('message', async ({ id, input, dims }) => {
  try {
    const out = await session.run({ pair: new ort.Tensor('float32', input, dims) });
    if (!out.change) throw new Error('model has no "change" output');
    const output = out.change.data;
    parentPort.postMessage({ id, output, input }, [output.buffer, input.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true, tid: threadId() });

function threadId() {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
}
