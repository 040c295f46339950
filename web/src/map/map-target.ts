// A place the main map should go to (a search result): set from anywhere, e.g. the header, and followed by the
// map page when it is shown; the map marks it until the next one.
import { useSyncExternalStore } from 'react';

export interface MapTarget {
  lon: number;
  lat: number;
  /** [west, south, east, north] to fit, or null for a point */
  bbox: readonly [number, number, number, number] | null;
  /** what the marker says */
  label: string;
  /** a new number on every request, so that going to the same place twice still moves the map */
  seq: number;
}

let current: MapTarget | null = null;
let seq = 0;
const listeners = new Set<() => void>();

export function showOnMap(target: Omit<MapTarget, 'seq'>): void {
  current = { ...target, seq: ++seq };
  for (const listener of listeners) listener();
}

export function useMapTarget(): MapTarget | null {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => current,
  );
}
