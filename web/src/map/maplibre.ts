// The one module that makes MapLibre maps: the main map, the triage map and the compare panes all come from
// here, and the rest of the app reaches them through this small interface.
import 'maplibre-gl/dist/maplibre-gl.css';
import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type LayerSpecification,
  type SourceSpecification,
  type StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useState, type DependencyList, type RefObject } from 'react';

// MapLibre looks for its worker next to its own module, which bundling moves; point it at the
// copy that Vite emits instead.
setWorkerUrl(workerUrl);

export type { MapLibreMap };

/** [west, south, east, north] */
export type LngLatBox = readonly [number, number, number, number];

export interface MapOptions {
  style: StyleSpecification | string;
  /** where it opens: a centre and zoom, or a box to fit */
  view: { center: [number, number]; zoom: number } | { box: LngLatBox; padding: number; maxZoom: number };
  maxZoom: number;
  /** the view follows the URL hash and back */
  hash?: boolean;
  /** zoom buttons and a scale bar, with a compact attribution */
  controls?: boolean;
}

export function createMap(container: HTMLElement, { style, view, maxZoom, hash = false, controls = false }: MapOptions): MapLibreMap {
  const map = new MapLibreMap({
    container,
    style,
    ...('box' in view
      ? { bounds: [...view.box] as [number, number, number, number], fitBoundsOptions: { padding: view.padding, maxZoom: view.maxZoom } }
      : { center: view.center, zoom: view.zoom }),
    maxZoom,
    hash,
    attributionControl: controls ? { compact: true } : false,
  });
  if (controls) {
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  }
  return map;
}

export function destroyMap(map: MapLibreMap): void {
  map.remove();
}

export function fitBox(map: MapLibreMap, box: LngLatBox, options: { padding: number; maxZoom: number; duration?: number }): void {
  map.fitBounds([...box] as [number, number, number, number], options);
}

/** A text label pinned to a place on the map (its bottom edge on the place); the returned function removes it. */
export function placeLabel(map: MapLibreMap, lngLat: [number, number], text: string, className: string): () => void {
  const element = document.createElement('div');
  element.className = className;
  element.textContent = text;
  const marker = new Marker({ element, anchor: 'bottom' }).setLngLat(lngLat).addTo(map);
  return () => void marker.remove();
}

/** Adds a layer drawn from a source of its own (of the same id), beneath `beforeId` when given. */
export function addLayer(map: MapLibreMap, source: SourceSpecification, layer: LayerSpecification, beforeId?: string): void {
  if (!map.getSource(layer.id)) map.addSource(layer.id, source);
  map.addLayer({ ...layer, source: layer.id } as LayerSpecification, beforeId);
}

export function removeLayer(map: MapLibreMap, id: string): void {
  if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(id)) map.removeSource(id);
}

interface UseMap {
  options: () => MapOptions;
  /** wires the new map up; what it returns runs before the map goes */
  setup?: (map: MapLibreMap) => (() => void) | void;
  /** the browser could not make a map (no WebGL) */
  onFailed?: () => void;
}

/** A map in the container while the component is there, made anew when a dependency changes; null before. */
export function useMap(container: RefObject<HTMLElement | null>, { options, setup, onFailed }: UseMap, deps: DependencyList): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  useEffect(() => {
    if (!container.current) return;
    let instance: MapLibreMap;
    try {
      instance = createMap(container.current, options());
    } catch {
      onFailed?.();
      return;
    }
    const teardown = setup?.(instance);
    setMap(instance);
    return () => {
      teardown?.();
      setMap(null);
      destroyMap(instance);
    };
  }, deps);
  return map;
}
