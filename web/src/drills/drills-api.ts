// The drill endpoints the drill page needs, typed.
import { request } from '../api';
import type { ApiResponse } from '../api-types';

export type Drill = ApiResponse<'/api/drills/{id}'>;
export type DrillItem = Drill['items'][number];
export type DrillAnswer = NonNullable<DrillItem['answer']>;
export type TraineeSummary = ApiResponse<'/api/drills/summary'>[number];

export const drillsApi = {
  start: (size: number) => request<Drill>('POST', '/api/drills', { size }),
  get: (id: number) => request<Drill>('GET', `/api/drills/${id}`),
  answer: (id: number, position: number, answer: DrillAnswer) =>
    request<DrillItem>('POST', `/api/drills/${id}/answers`, { position, answer }),
  summary: () => request<TraineeSummary[]>('GET', '/api/drills/summary'),
};
