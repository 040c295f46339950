import { request } from '../api';
import type { ApiBody, ApiResponse } from '../api-types';

export type Complaint = ApiResponse<'/api/complaints'>['rows'][number];
export type ComplaintPage = ApiResponse<'/api/complaints'>;
export type ComplaintDetail = ApiResponse<'/api/complaints/{id}'>;
export type SpotImagery = NonNullable<ComplaintDetail['imagery']['after']>;
export type ComplaintImportReport = ApiResponse<'/api/complaints/import', 'post'>;
export type CloseBody = ApiBody<'/api/complaints/{id}/close'>;
export type ComplaintStatus = Complaint['status'];

export const complaintsApi = {
  list: (statuses: readonly ComplaintStatus[]) =>
    request<ComplaintPage>('GET', `/api/complaints?limit=500${statuses.length ? `&status=${statuses.join(',')}` : ''}`),
  detail: (id: number) => request<ComplaintDetail>('GET', `/api/complaints/${id}`),
  importFile: (file: File, crs: string, dryRun: boolean) =>
    request<ComplaintImportReport>(
      'POST',
      `/api/complaints/import?fileName=${encodeURIComponent(file.name)}&crs=${crs}&dryRun=${dryRun}`,
      file,
      'application/octet-stream',
    ),
  place: (id: number, lon: number, lat: number) => request<unknown>('POST', `/api/complaints/${id}/place`, { lon, lat, crs: 'wgs84' }),
  dispatch: (id: number, deadline: string | null) =>
    request<unknown>('POST', `/api/complaints/${id}/dispatch`, deadline ? { deadline } : {}),
  close: (id: number, body: CloseBody) => request<{ caseNo: string | null }>('POST', `/api/complaints/${id}/close`, body),
};
