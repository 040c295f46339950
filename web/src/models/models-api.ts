// The model-version endpoints the Models page needs, typed.
import { request } from '../api';
import type { ApiResponse } from '../api-types';

export type ModelVersions = ApiResponse<'/api/model-versions'>;
export type ModelVersion = ModelVersions['versions'][number];
export type ModelEvent = ModelVersions['events'][number];

export const modelsApi = {
  list: () => request<ModelVersions>('GET', '/api/model-versions'),
  promote: (version: string) => request<unknown>('POST', `/api/model-versions/${encodeURIComponent(version)}/promote`, {}),
  rollback: () => request<unknown>('POST', '/api/model-versions/rollback', {}),
};
