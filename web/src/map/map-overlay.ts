// Imperative helpers over a MapLibre map; only map-view.tsx calls them.
import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import { DATASETS, type Dataset } from '../domain';
import { IMAGERY_BENEATH, clampOpacity, imageryLayer, imageryLayerId, imagerySource, isImageryLayerId, type ImageryOverlay } from './imagery-layers';
import { CLICKABLE_LAYER_IDS, PROMOTE_ID, buildLayers, buildSources, layerIdsOf } from './layers';
import { addLayer, removeLayer } from './maplibre';

export interface FeatureRef {
  dataset: Dataset;
  id: string | number;
}

export interface MapSelection extends FeatureRef {
  properties: Record<string, unknown>;
  lngLat: [number, number];
}

export type Visibility = Record<Dataset, boolean>;

/** Adds our sources and layers on top of whatever style is loaded; safe to call again after a style swap. */
export function addOverlay(map: MapLibreMap, origin: string, visible: Visibility): void {
  const sources = buildSources(origin);
  for (const dataset of DATASETS) {
    if (!map.getSource(dataset)) map.addSource(dataset, sources[dataset]);
  }
  for (const layer of buildLayers()) {
    if (!map.getLayer(layer.id)) map.addLayer(layer);
  }
  applyVisibility(map, visible);
}

export function applyVisibility(map: MapLibreMap, visible: Visibility): void {
  for (const dataset of DATASETS) {
    for (const id of layerIdsOf(dataset)) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible[dataset] ? 'visible' : 'none');
    }
  }
}

export function setSelected(map: MapLibreMap, ref: FeatureRef, selected: boolean): void {
  if (!map.getSource(ref.dataset)) return;
  map.setFeatureState({ source: ref.dataset, sourceLayer: ref.dataset, id: ref.id }, { selected });
}

function isDataset(value: string): value is Dataset {
  return (DATASETS as readonly string[]).includes(value);
}

function toSelection(feature: MapGeoJSONFeature, lngLat: [number, number]): MapSelection | null {
  if (!isDataset(feature.source)) return null;
  const dataset = feature.source;
  const properties = feature.properties as Record<string, unknown>;
  const raw = feature.id ?? properties[PROMOTE_ID[dataset]];
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  return { dataset, id: raw, properties, lngLat };
}

/** The topmost of our features under a screen point, or null. */
export function pickFeature(map: MapLibreMap, point: { x: number; y: number }, lngLat: [number, number]): MapSelection | null {
  const layers = CLICKABLE_LAYER_IDS.filter((id) => map.getLayer(id));
  if (layers.length === 0) return null;
  for (const feature of map.queryRenderedFeatures([point.x, point.y], { layers })) {
    const selection = toSelection(feature, lngLat);
    if (selection) return selection;
  }
  return null;
}

/**
 * Makes the map's imagery rasters exactly `stack` (bottom to top), all beneath our vector layers:
 * removes those no longer shown, adds new ones and re-orders and re-fades the rest.
 */
export function syncImagery(map: MapLibreMap, origin: string, stack: readonly ImageryOverlay[]): void {
  const wanted = new Set(stack.map((o) => imageryLayerId(o.id)));
  for (const layer of map.getStyle().layers) {
    if (!isImageryLayerId(layer.id) || wanted.has(layer.id)) continue;
    removeLayer(map, layer.id);
  }
  const beneath = map.getLayer(IMAGERY_BENEATH) ? IMAGERY_BENEATH : undefined;
  for (const overlay of stack) {
    const layer = imageryLayer(overlay);
    if (map.getLayer(layer.id)) map.moveLayer(layer.id, beneath);
    else addLayer(map, imagerySource(origin, overlay), layer, beneath);
    map.setPaintProperty(layer.id, 'raster-opacity', clampOpacity(overlay.opacity));
  }
}
