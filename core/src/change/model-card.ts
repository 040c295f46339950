// The JSON card beside each .onnx change model (DESIGN.md §4), read without loading onnxruntime: the server
// and the planner need the card's facts, only the inference thread needs the model itself.
import { readFile } from 'node:fs/promises';

/** The card's fields the product uses; the rest (training, metrics, licences) is for people. */
export interface ModelCard {
  name: string;
  version: string;
  height: number;
  width: number;
  sizeMultipleOf: number;
  metresPerPixel: number;
  /** The ground sample distances (m/px) the model detects at: planning picks a zoom inside this range. */
  gsdRange: [number, number];
  defaultThreshold: number;
  [key: string]: unknown;
}

export const DEFAULT_MODEL_PATH = new URL('../../../models/change-detection/tuban-change.onnx', import.meta.url).pathname;

const REQUIRED = ['name', 'version', 'height', 'width', 'sizeMultipleOf', 'metresPerPixel', 'gsdRange', 'defaultThreshold'] as const;

export async function readModelCard(modelPath: string): Promise<ModelCard> {
  const cardPath = modelPath.replace(/\.onnx$/, '.card.json');
  let card: ModelCard;
  try {
    card = JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard;
  } catch (err) {
    throw new Error(`model card ${cardPath} is missing or not JSON: ${(err as Error).message}`);
  }
  for (const key of REQUIRED) if (card[key] === undefined) throw new Error(`model card ${cardPath} has no "${key}"`);
  return card;
}
