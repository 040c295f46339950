import type { FlightPurpose } from '../domain';
import { callApi } from '../uploads/http';

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
    callApi<{ flights: Flight[]; total: number }>('GET', `/api/flights?limit=500${month ? `&month=${month}` : ''}`),
  create: (input: FlightInput) => callApi<Flight>('POST', '/api/flights', input),
  update: (id: number, input: Partial<FlightInput>) => callApi<Flight>('PATCH', `/api/flights/${id}`, input),
  stats: (month: string) => callApi<FlightStats>('GET', `/api/flights/stats?month=${month}`),
};
