// The detection-run and imagery endpoints the runs page and the map need, typed.
import { request } from '../api';

export const RUN_STATUSES = ['planned', 'running', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface DetectionRun {
  id: number;
  afterImageryId: number;
  modelName: string;
  modelVersion: string;
  threshold: number;
  minAreaM2: number;
  villaMinAreaM2: number;
  zoom: number;
  status: RunStatus;
  error: string | null;
  tilesTotal: number;
  tilesDone: number;
  tilesWithoutBaseline: number;
  batchesTotal: number;
  candidatesFound: number | null;
  /** seconds per stage */
  timings: Record<string, number>;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImageryItem {
  id: number;
  kind: string;
  status: 'uploaded' | 'ingesting' | 'ready' | 'failed';
  fileName: string;
  capturedAt: string | null;
  minZoom: number | null;
  maxZoom: number | null;
  tileFormat: string | null;
  footprint: { type: string; coordinates: unknown[] } | null;
  createdAt: string;
}

export const runsApi = {
  list: () => request<DetectionRun[]>('GET', '/api/detection-runs'),
  start: (afterImageryId: number) => request<DetectionRun>('POST', '/api/detection-runs', { afterImageryId }),
  readyImagery: () => request<{ items: ImageryItem[] }>('GET', '/api/imagery?status=ready').then((r) => r.items),
};
