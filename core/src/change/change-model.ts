// The one seam of change detection: what every change model offers (the trained ONNX model, run on its own
// thread, and the classical baseline), used alike by the detection worker, evaluation and the benches.

/** What planning and every detection run record of a model: its card's facts. */
export interface ModelInfo {
  name: string;
  version: string;
  /** Default probability threshold from the model card. */
  threshold: number;
  /** Ground metres per pixel the model expects. */
  metresPerPixel: number;
  /** The ground sample distances (m/px) it detects at; planning picks a zoom inside this range. */
  gsdRange: [number, number];
}

export interface ChangeModel extends ModelInfo {
  /** Window sides must be a multiple of this (1 for the baseline). */
  sizeMultipleOf: number;
  /** input: [n, 6, size, size] planar float32 in [0, 1], before RGB then after RGB → [n, 1, size, size]. */
  predict(input: Float32Array, n: number, size: number): Promise<Float32Array>;
  /**
   * An array of `length` values to fill as the next input; the ONNX model hands earlier inputs back for this, so a
   * run allocates a few rather than one per chunk. Its contents are left over: the caller writes every value.
   */
  inputBuffer?(length: number): Float32Array<ArrayBuffer>;
}

/** The card-level facts of a model, as planning stores them. */
export const modelInfo = ({ name, version, threshold, metresPerPixel, gsdRange }: ModelInfo): ModelInfo => ({
  name,
  version,
  threshold,
  metresPerPixel,
  gsdRange,
});
