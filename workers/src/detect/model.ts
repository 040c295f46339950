/** What the detection pipeline needs of a change model (the ONNX model or the classical baseline). */
export interface ChangeModel {
  name: string;
  version: string;
  /** Default probability threshold from the model card. */
  threshold: number;
  /** Ground metres per pixel the model expects; picks the detection zoom. */
  metresPerPixel: number;
  /** input: [n, 6, size, size] planar float32 in [0, 1], before RGB then after RGB → [n, 1, size, size]. */
  predict(input: Float32Array, n: number, size: number): Promise<Float32Array>;
}
