import { request } from '../api';
import type { ApiResponse } from '../api-types';

export type SearchResult = ApiResponse<'/api/search'>['results'][number];
export type Datum = NonNullable<SearchResult['datum']>;
export const DATUMS: readonly Datum[] = ['gcj02', 'wgs84'];

export const searchApi = {
  search: (q: string, datum: Datum) =>
    request<{ results: SearchResult[] }>('GET', `/api/search?${new URLSearchParams({ q, datum })}`).then((r) => r.results),
};
