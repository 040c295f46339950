// The main map with our layers; the page talks to it through props only.
import { Popup } from 'maplibre-gl';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Bounds } from './bounds';
import { buildStyle } from './layers';
import { useT } from '../i18n/i18n-context';
import type { ImageryOverlay } from './imagery-layers';
import { attachEvidencePhotoLayer } from './evidence-photo-layer';
import { showFreshness } from './freshness-layer';
import { addOverlay, applyVisibility, pickFeature, setSelected, syncImagery, type MapSelection, type Visibility } from './map-overlay';
import { fitBox, placeLabel, useMap, type MapLibreMap } from './maplibre';
import type { MapTarget } from './map-target';

// Cleanups of the selection effect can run after the map itself was removed on unmount.
const removedMaps = new WeakSet<MapLibreMap>();
// The map is made anew on every visit of the page; a target it already went to is marked, not flown to again.
let flownTarget = 0;
/** How close a search result for a point is shown. */
const TARGET_ZOOM = 18;

export const INITIAL_CENTER: [number, number] = [121.392, 31.262];
export const INITIAL_ZOOM = 12.5;

export type MapStatus = 'loading' | 'ready' | 'initFailed' | 'tileError' | 'basemapFailed';

export interface MapFocus {
  bounds: Bounds;
  /** Changes on every request so that zooming to the same street twice still moves the map. */
  seq: number;
}

interface Props {
  basemapStyleUrl: string | null;
  visible: Visibility;
  selection: MapSelection | null;
  onSelect: (selection: MapSelection | null) => void;
  focus: MapFocus | null;
  onStatus: (status: MapStatus) => void;
  renderPopup: (selection: MapSelection) => ReactNode;
  label: string;
  /** Imagery rasters to show under the vector layers, bottom to top. */
  imagery: readonly ImageryOverlay[];
  /** Show the imagery-freshness cells (coverage). */
  freshness?: boolean;
  /** a place to go to and mark (a search result) */
  target: MapTarget | null;
}

export function MapView({ basemapStyleUrl, visible, selection, onSelect, focus, onStatus, renderPopup, label, imagery, freshness = false, target }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [popupNode] = useState(() => document.createElement('div'));
  // Handlers registered once at creation read the latest props through refs.
  const latest = useRef({ visible, onSelect, onStatus, imagery, freshness });
  latest.current = { visible, onSelect, onStatus, imagery, freshness };
  // Sources and layers can only be added between a style's load and the next style swap.
  const styleReady = useRef(false);
  const t = useT();
  const photoText = useRef({ title: '', open: '' });
  photoText.current = { title: t('photo.title'), open: t('photo.open') };

  const origin = window.location.origin;
  const map = useMap(containerRef, {
    options: () => ({
      style: basemapStyleUrl ?? buildStyle(origin),
      view: { center: INITIAL_CENTER, zoom: INITIAL_ZOOM },
      maxZoom: 20,
      hash: true,
      controls: true,
    }),
    setup: (instance) => wire(instance),
    onFailed: () => latest.current.onStatus('initFailed'),
  }, [basemapStyleUrl]);

  function wire(instance: MapLibreMap): () => void {
    let styleLoaded = false;
    let usingBasemap = basemapStyleUrl !== null;
    instance.on('style.load', () => {
      styleLoaded = true;
      styleReady.current = true;
      addOverlay(instance, origin, latest.current.visible);
      syncImagery(instance, origin, latest.current.imagery);
      if (latest.current.freshness) void showFreshness(instance, true).catch(() => latest.current.onStatus('tileError'));
    });
    // Registering a handler also stops MapLibre from printing every tile failure to the console.
    instance.on('error', () => {
      if (usingBasemap && !styleLoaded) {
        // The external base map is unreachable (no internet here); fall back to our own plain style.
        usingBasemap = false;
        styleReady.current = false;
        instance.setStyle(buildStyle(origin), { diff: false });
        latest.current.onStatus('basemapFailed');
        return;
      }
      latest.current.onStatus('tileError');
    });
    instance.once('idle', () => {
      document.body.dataset.mapReady = '1';
      latest.current.onStatus('ready');
    });
    instance.on('click', (e) => {
      latest.current.onSelect(pickFeature(instance, e.point, [e.lngLat.lng, e.lngLat.lat]));
    });
    const canvas = instance.getCanvas();
    instance.on('mousemove', (e) => {
      canvas.style.cursor = pickFeature(instance, e.point, [0, 0]) ? 'pointer' : '';
    });

    const detachPhotos = attachEvidencePhotoLayer(instance, () => photoText.current);
    window.__tubanMap = instance;
    return () => {
      detachPhotos();
      styleReady.current = false;
      removedMaps.add(instance);
      if (window.__tubanMap === instance) delete window.__tubanMap;
      delete document.body.dataset.mapReady;
    };
  }

  useEffect(() => {
    if (map) applyVisibility(map, visible);
  }, [map, visible]);

  useEffect(() => {
    if (map && styleReady.current) syncImagery(map, window.location.origin, imagery);
  }, [map, imagery]);

  useEffect(() => {
    if (map && styleReady.current) void showFreshness(map, freshness).catch(() => latest.current.onStatus('tileError'));
  }, [map, freshness]);

  useEffect(() => {
    if (!map || !selection) return;
    setSelected(map, selection, true);
    const popup = new Popup({ closeButton: false, closeOnClick: false, maxWidth: '340px', className: 'tuban-popup' })
      .setLngLat(selection.lngLat)
      .setDOMContent(popupNode)
      .addTo(map);
    return () => {
      popup.remove();
      if (!removedMaps.has(map)) setSelected(map, selection, false);
    };
  }, [map, selection, popupNode]);

  useEffect(() => {
    if (!map || !target) return;
    if (target.seq !== flownTarget) {
      flownTarget = target.seq;
      const [w, s, e, n] = target.bbox ?? [target.lon, target.lat, target.lon, target.lat];
      if (e - w > 1e-6 || n - s > 1e-6) fitBox(map, [w, s, e, n], { padding: 48, maxZoom: TARGET_ZOOM });
      else map.flyTo({ center: [target.lon, target.lat], zoom: TARGET_ZOOM });
    }
    return placeLabel(map, [target.lon, target.lat], target.label, 'search-marker');
  }, [map, target]);

  useEffect(() => {
    if (map && focus) fitBox(map, [...focus.bounds[0], ...focus.bounds[1]], { padding: 48, maxZoom: 16 });
  }, [map, focus]);

  return (
    <div ref={containerRef} className="map-view" role="region" aria-label={label}>
      {selection && createPortal(renderPopup(selection), popupNode)}
    </div>
  );
}
