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
  return checkModelCard(card, `model card ${cardPath}`);
}

/** The card itself, once it holds every field the product uses; `source` names it in the error. */
export function checkModelCard(card: unknown, source: string): ModelCard {
  if (typeof card !== 'object' || card === null) throw new Error(`${source} is not a JSON object`);
  for (const key of REQUIRED) if ((card as Record<string, unknown>)[key] === undefined) throw new Error(`${source} has no "${key}"`);
  return card as ModelCard;
}
