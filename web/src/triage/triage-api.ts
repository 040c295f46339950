// The triage endpoints, typed; the same error handling as ../api.ts.
import { request } from '../api';
import type { ApiBody, ApiResponse } from '../api-types';
import type { MultiPolygonGeometry, PolygonGeometry } from './outline-editor';
import type { DismissReason, TriageFilters } from './url-state';

export type Bbox = [number, number, number, number];

export type CandidateSummary = ApiResponse<'/api/candidates'>['items'][number];
export type CandidateDetail = ApiResponse<'/api/candidates/{id}'>;
export type ImageryRef = NonNullable<CandidateDetail['beforeImagery']>;
export type HistoryEvent = CandidateDetail['history'][number];
export type Photo = CandidateDetail['photos'][number];
export type Decision = ApiBody<'/api/candidates/{id}/decision'>;
export type DecisionStatus = Decision['status'];
export type DecisionResult = ApiResponse<'/api/candidates/{id}/decision', 'post'>;
export type SquadTasks = ApiResponse<'/api/squad/tasks'>;
export type RegistryWorkItem = SquadTasks['registryItems'][number];

export interface NearbyItem {
  id: number;
  properties: { caseNo: string; status: string; buildingType: string; footprintM2: number; address: string };
}


export function filterQuery(f: TriageFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.street) q.set('street', f.street);
  if (f.villa !== undefined) q.set('villa', String(f.villa));
  if (f.minScore !== undefined) q.set('minScore', String(f.minScore));
  if (f.minArea !== undefined) q.set('minArea', String(f.minArea));
  if (f.run !== undefined) q.set('run', String(f.run));
  if (f.reviewPending) q.set('reviewPending', 'true');
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  return q;
}

export const triageApi = {
  list: (f: TriageFilters, limit = 200) => {
    const q = filterQuery(f);
    q.set('sort', 'priority');
    q.set('limit', String(limit));
    return request<{ items: CandidateSummary[]; total: number }>('GET', `/api/candidates?${q}`);
  },
  detail: (id: number) => request<CandidateDetail>('GET', `/api/candidates/${id}`),
  decide: (id: number, d: Decision) => request<DecisionResult>('POST', `/api/candidates/${id}/decision`, d),
  bulk: (body: Decision & { ids?: number[]; filter?: Record<string, unknown>; expectedCount?: number }) =>
    request<{ count: number }>('POST', '/api/candidates/decisions', body),
  review: (id: number, approve: boolean) =>
    request<{ to: string }>('POST', `/api/candidates/${id}/review`, { approve }),
  correctOutline: (id: number, geometry: MultiPolygonGeometry) =>
    request<{ eventId: number }>('PUT', `/api/candidates/${id}/outline`, { geometry }),
  drawMissed: (geometry: PolygonGeometry, status: 'confirmed' | 'known') =>
    request<DecisionResult>('POST', '/api/candidates/manual', { geometry, status }),
  undo: (id: number) => request<{ from: string; to: string }>('POST', `/api/candidates/${id}/undo`, {}),
  nearbyRegistry: (bbox: Bbox) => {
    const pad = 0.0015;
    const b = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad].map((n) => n.toFixed(6)).join(',');
    return request<{ features: NearbyItem[] }>('GET', `/api/registry?bbox=${b}&limit=9`);
  },
  tasks: () => request<SquadTasks>('GET', '/api/squad/tasks'),
  fieldCheck: (id: number, form: FormData) => request<DecisionResult>('POST', `/api/candidates/${id}/field-check`, form),
  registryPhotos: (id: number, form: FormData) => request<{ photoIds: number[] }>('POST', `/api/registry/${id}/photos`, form),
  disposition: (id: number, body: { status: string; date: string; areaRemovedM2?: number; note?: string }) =>
    request<{ caseNo: string }>('POST', `/api/registry/${id}/disposition`, body),
};
