import { request } from '../api';
import type { ApiBody, ApiResponse } from '../api-types';

export type Flight = ApiResponse<'/api/flights/{id}'>;
export type FlightInput = Required<Pick<ApiBody<'/api/flights'>, 'droneModel' | 'flownAt' | 'purpose' | 'streetCodes' | 'notes'>>;
export type FlightStats = ApiResponse<'/api/flights/stats'>;

export const flightsApi = {
  list: (month?: string) =>
    request<{ flights: Flight[]; total: number }>('GET', `/api/flights?limit=500${month ? `&month=${month}` : ''}`),
  create: (input: FlightInput) => request<Flight>('POST', '/api/flights', input),
  update: (id: number, input: Partial<FlightInput>) => request<Flight>('PATCH', `/api/flights/${id}`, input),
  stats: (month: string) => request<FlightStats>('GET', `/api/flights/stats?month=${month}`),
};
