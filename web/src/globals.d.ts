import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** The live map, for the browser test and for debugging. */
    __tubanMap?: MapLibreMap;
  }
}

export {};
