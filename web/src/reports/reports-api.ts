import { request } from '../api';
import type { ApiResponse } from '../api-types';

export type IndexRow = ApiResponse<'/api/monthly-index'>['rows'][number];
export type DrillResult = ApiResponse<'/api/monthly-index/drill'>;
export type ExportRecord = ApiResponse<'/api/exports'>['exports'][number];
export type ExportFile = ExportRecord['files'][number];
export type Dashboard = ApiResponse<'/api/dashboard'>;
export type TrendRow = Dashboard['trend'][number]['rows'][number];

export const reportsApi = {
  index: (month: string) => request<{ month: string; rows: IndexRow[] }>('GET', `/api/monthly-index?month=${month}`),
  drill: (month: string, scope: string, measure: string) =>
    request<DrillResult>('GET', `/api/monthly-index/drill?month=${month}&scope=${scope}&measure=${measure}`),
  exports: () => request<{ exports: ExportRecord[] }>('GET', '/api/exports').then((r) => r.exports),
  createExport: (month: string) => request<{ id: number }>('POST', '/api/exports/monthly-index', { month }),
  dashboard: (month: string) => request<Dashboard>('GET', `/api/dashboard?month=${month}`),
};

export type ImportReport = ApiResponse<'/api/registry/import', 'post'>;
export type ImportRow = ImportReport['rows'][number];
export type TargetProgress = ApiResponse<'/api/annual-targets/progress'>['rows'][number];

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
