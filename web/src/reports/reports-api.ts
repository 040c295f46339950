import { request } from '../api';

export interface IndexRow {
  scope: string;
  name: string;
  newCount: number;
  newBySource: Record<string, number>;
  proactiveShare: number | null;
  dueCount: number;
  handledOnTimeCount: number;
  handlingRate: number | null;
  decisionCount: number;
  medianDecisionDays: number | null;
  dispositionCount: number;
  medianDispositionDays: number | null;
  areaFoundM2: number;
  areaRemovedM2: number;
  closedOutCount: number;
  closedOutM2: number;
  ytdClosedOutM2: number;
  annualTargetM2: number | null;
  targetProgress: number | null;
  score: number | null;
  grade: string | null;
  sorties: number;
  pilotShifts: number;
}

export interface DrillResult {
  kind: 'registry' | 'candidates' | 'flights';
  ids: number[];
  items: { id: number; caseNo: string; streetName: string; status: string; source: string; floorAreaM2: number; foundOn: string; closedOn: string | null }[];
}

export interface ExportFile {
  name: string;
  format: string;
  bytes: number;
  url: string;
}

export interface ExportRecord {
  id: number;
  month: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  files: ExportFile[];
}

export interface TrendRow {
  scope: string;
  name: string;
  score: number | null;
  grade: string | null;
  newCount: number;
  closedOutM2: number;
  ytdClosedOutM2: number;
  sorties: number;
  pilotShifts: number;
}

export interface Dashboard {
  month: string;
  rows: IndexRow[];
  trend: { month: string; rows: TrendRow[] }[];
  villas: { category: string; total: number; done: number; floorAreaM2: number }[];
}

export const reportsApi = {
  index: (month: string) => request<{ month: string; rows: IndexRow[] }>('GET', `/api/monthly-index?month=${month}`),
  drill: (month: string, scope: string, measure: string) =>
    request<DrillResult>('GET', `/api/monthly-index/drill?month=${month}&scope=${scope}&measure=${measure}`),
  exports: () => request<{ exports: ExportRecord[] }>('GET', '/api/exports').then((r) => r.exports),
  createExport: (month: string) => request<{ id: number }>('POST', '/api/exports/monthly-index', { month }),
  dashboard: (month: string) => request<Dashboard>('GET', `/api/dashboard?month=${month}`),
};

export interface ImportRow {
  row: number;
  caseNo: string | null;
  outcome: 'add' | 'repaired' | 'exists' | 'duplicate' | 'invalid';
  streetCode: string | null;
  messages: string[];
}

export interface ImportReport {
  format: string;
  crs: string;
  dryRun: boolean;
  total: number;
  added: number;
  counts: Record<ImportRow['outcome'], number>;
  rows: ImportRow[];
}

export interface TargetProgress {
  scope: string;
  name: string;
  closedOutM2: number;
  targetM2: number | null;
  progress: number | null;
}


export const adminApi = {
  importFile: (file: File, crs: string, dryRun: boolean) =>
    request<ImportReport>(
      'POST',
      `/api/registry/import?fileName=${encodeURIComponent(file.name)}&crs=${encodeURIComponent(crs)}&dryRun=${dryRun}`,
      file,
      'application/octet-stream',
    ),
  progress: (year: number) => request<{ year: number; rows: TargetProgress[] }>('GET', `/api/annual-targets/progress?year=${year}`),
  setTarget: (year: number, scope: string, targetM2: number) =>
    request<unknown>('PUT', `/api/annual-targets/${year}/${scope}`, JSON.stringify({ targetM2 }), 'application/json'),
};
