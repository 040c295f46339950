// The triage endpoints, typed; the same error handling as ../api.ts.
import { request } from '../api';
import type { CandidateStatus } from '../domain';
import type { DismissReason, TriageFilters } from './url-state';

export type Bbox = [number, number, number, number];

export interface CandidateSummary {
  id: number;
  runId: number;
  status: CandidateStatus;
  dismissReason: DismissReason | null;
  scoreMean: number;
  scoreMax: number;
  areaM2: number;
  streetCode: string | null;
  streetName: string | null;
  villaCompoundId: number | null;
  villaName: string | null;
  rebuilt: boolean;
  registryItemId: number | null;
  caseNo: string | null;
  beforeImageryId: number | null;
  afterImageryId: number | null;
  fieldCheckDue: string | null;
  overdue: boolean;
  reviewPending: boolean;
  createdAt: string;
  bbox: Bbox;
  centroid: [number, number];
}

export interface ImageryRef {
  id: number;
  kind: string;
  status: string;
  capturedAt: string | null;
  tileFormat: string | null;
}

export interface HistoryEvent {
  id: number;
  at: string;
  actorName: string;
  actorRole: string;
  fromStatus: CandidateStatus | null;
  toStatus: CandidateStatus;
  reason: DismissReason | null;
  note: string;
  caseNo: string | null;
  isUndo: boolean;
  undone: boolean;
}

export interface Photo {
  id: number;
  fileName: string;
  takenAt: string | null;
  lon: number | null;
  lat: number | null;
  url: string;
}

export interface CandidateDetail extends CandidateSummary {
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  beforeImagery: ImageryRef | null;
  afterImagery: ImageryRef | null;
  history: HistoryEvent[];
  photos: Photo[];
}

export type DecisionStatus = 'confirmed' | 'known' | 'dismissed' | 'field_check';

export interface Decision {
  status: DecisionStatus;
  reason?: DismissReason;
  registryItemId?: number;
  note?: string;
}

export interface DecisionResult {
  candidateId: number;
  from: string;
  to: string;
  caseNo: string | null;
}

export interface RegistryWorkItem {
  id: number;
  caseNo: string;
  status: string;
  streetCode: string;
  buildingType: string;
  floorAreaM2: number;
  footprintM2: number;
  foundOn: string;
  deadline: string | null;
  overdue: boolean;
  address: string;
  bbox: Bbox;
}

export interface SquadTasks {
  street: string | null;
  today: string;
  fieldChecks: CandidateSummary[];
  registryItems: RegistryWorkItem[];
}

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
  undo: (id: number) => request<{ from: string; to: string }>('POST', `/api/candidates/${id}/undo`, {}),
  nearbyRegistry: (bbox: Bbox) => {
    const pad = 0.0015;
    const b = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad].map((n) => n.toFixed(6)).join(',');
    return request<{ features: NearbyItem[] }>('GET', `/api/registry?bbox=${b}&limit=9`);
  },
  tasks: () => request<SquadTasks>('GET', '/api/squad/tasks'),
  fieldCheck: (id: number, form: FormData) => request<DecisionResult>('POST', `/api/candidates/${id}/field-check`, form),
  disposition: (id: number, body: { status: string; date: string; areaRemovedM2?: number; note?: string }) =>
    request<{ caseNo: string }>('POST', `/api/registry/${id}/disposition`, body),
};
