import { request, requestBlob } from '../api';
import type { ApiResponse } from '../api-types';

export type StreetFreshness = ApiResponse<'/api/coverage/streets'>;
export type ReflyList = ApiResponse<'/api/refly-suggestions'>;
export type ReflySuggestion = ReflyList['suggestions'][number];
export type ExportFormat = 'geojson' | 'kml' | 'kmz';

export interface MissionForm {
  altitude: number;
  frontOverlap: number;
  sideOverlap: number;
  speed: number;
}

export const coverageApi = {
  streets: () => request<StreetFreshness>('GET', '/api/coverage/streets'),
  refresh: () => request<ReflyList>('POST', '/api/refly-suggestions/refresh', {}),
  exportFile: (format: ExportFormat, ids: number[], m: MissionForm) =>
    requestBlob(
      `/api/refly-suggestions/export/${format}?ids=${ids.join(',')}&altitude=${m.altitude}&frontOverlap=${m.frontOverlap}&sideOverlap=${m.sideOverlap}&speed=${m.speed}`,
    ),
};
