// The detection-run and imagery endpoints the runs page and the map need, typed.
import { request } from '../api';
import type { ApiResponse } from '../api-types';

export type DetectionRun = ApiResponse<'/api/detection-runs'>[number];
export type RunStatus = DetectionRun['status'];
export type ImageryItem = ApiResponse<'/api/imagery'>['items'][number];

export const runsApi = {
  list: () => request<DetectionRun[]>('GET', '/api/detection-runs'),
  start: (afterImageryId: number) => request<DetectionRun>('POST', '/api/detection-runs', { afterImageryId }),
  readyImagery: () => request<{ items: ImageryItem[] }>('GET', '/api/imagery?status=ready').then((r) => r.items),
};
