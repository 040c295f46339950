import type { FlightPurpose } from '../domain';
import { request } from '../api';

export interface Flight {
  id: number;
  pilotId: number;
  pilotName: string;
  droneModel: string;
  flownAt: string;
  purpose: FlightPurpose;
  streetCodes: string[];
  notes: string;
}

export interface FlightInput {
  droneModel: string;
  flownAt: string;
  purpose: FlightPurpose;
  streetCodes: string[];
  notes: string;
}

export interface FlightStats {
  month: string;
  total: { sorties: number; pilotShifts: number };
  streets: { code: string; name: string; sorties: number; pilotShifts: number }[];
}

export const flightsApi = {
  list: (month?: string) =>
    request<{ flights: Flight[]; total: number }>('GET', `/api/flights?limit=500${month ? `&month=${month}` : ''}`),
  create: (input: FlightInput) => request<Flight>('POST', '/api/flights', input),
  update: (id: number, input: Partial<FlightInput>) => request<Flight>('PATCH', `/api/flights/${id}`, input),
  stats: (month: string) => request<FlightStats>('GET', `/api/flights/stats?month=${month}`),
};
