// Imagery freshness as a fill layer: each z15 cell piece coloured by days since its newest covering imagery,
// cells never flown in red. Fetched when switched on (it is one small GeoJSON for the whole district).
import type { Map as MapLibreMap } from 'maplibre-gl';
import { request } from '../api';
import type { ApiResponse } from '../api-types';
import { addLayer, removeLayer } from './maplibre';

const LAYER = 'coverage-freshness';
type Cells = ApiResponse<'/api/coverage/cells'>;

/** Days-since bands and their colours, oldest last; `never` for cells no imagery has covered. */
export const FRESHNESS_BANDS = [
  { upTo: 30, color: '#1a9850' },
  { upTo: 60, color: '#a6d96a' },
  { upTo: 120, color: '#fee08b' },
  { upTo: Infinity, color: '#f46d43' },
] as const;
export const NEVER_FLOWN_COLOR = '#a50026';

/** A MapLibre step expression over `days` (−1 = never flown). */
export function freshnessColor(): unknown[] {
  const steps = FRESHNESS_BANDS.slice(1).flatMap((b, i) => [FRESHNESS_BANDS[i]!.upTo + 1, b.color]);
  return ['step', ['get', 'days'], NEVER_FLOWN_COLOR, 0, FRESHNESS_BANDS[0].color, ...steps];
}

function withDays(cells: Cells): Cells {
  return { ...cells, features: cells.features.map((f) => ({ ...f, properties: { ...f.properties, days: f.properties.daysSince ?? -1 } })) };
}

/** Shows or hides the layer; shown again after a style swap by calling it again. */
export async function showFreshness(map: MapLibreMap, on: boolean): Promise<void> {
  if (!on) return removeLayer(map, LAYER);
  const cells = withDays(await request<Cells>('GET', '/api/coverage/cells'));
  removeLayer(map, LAYER);
  addLayer(map, { type: 'geojson', data: cells as never }, {
    id: LAYER,
    type: 'fill',
    source: LAYER,
    paint: { 'fill-color': freshnessColor() as never, 'fill-opacity': 0.45, 'fill-outline-color': '#333333' },
  });
}
