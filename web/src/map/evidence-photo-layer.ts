// Evidence photos as a small point layer: fetched for the visible area after each move (from EVIDENCE_PHOTO_MIN_ZOOM
// on), a click opens the thumbnail with a link to the original JPEG.
import { Popup, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import { request } from '../api';
import { addLayer } from './maplibre';
import type { ApiResponse } from '../api-types';

export const EVIDENCE_PHOTO_MIN_ZOOM = 14;
export const EVIDENCE_PHOTO_COLOR = '#e6550d';
const SOURCE = 'evidence-photos';

export type EvidencePhotoPoint = ApiResponse<'/api/photos'>['items'][number];

export interface EvidencePhotoText {
  title: string;
  open: string;
}

interface PointCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id: number; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Record<string, string | number> }[];
}

export function evidencePhotosGeoJson(items: EvidencePhotoPoint[]): PointCollection {
  return {
    type: 'FeatureCollection',
    features: items.map((p) => ({
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { id: p.id, fileName: p.fileName, capturedAt: p.capturedAt ?? '', camera: p.camera ?? '' },
    })),
  };
}

function popupContent(props: Record<string, unknown>, text: EvidencePhotoText): HTMLElement {
  const root = document.createElement('div');
  root.className = 'photo-popup';
  const title = document.createElement('strong');
  title.textContent = `${text.title} · ${String(props.fileName)}`;
  const img = document.createElement('img');
  img.src = `/api/imagery/${Number(props.id)}/thumbnail.webp`;
  img.alt = String(props.fileName);
  img.style.maxWidth = '240px';
  img.style.display = 'block';
  const meta = document.createElement('div');
  meta.textContent = [props.camera, props.capturedAt ? new Date(String(props.capturedAt)).toLocaleString() : ''].filter(Boolean).join(' · ');
  const link = document.createElement('a');
  link.href = `/api/imagery/${Number(props.id)}/photo.jpg`;
  link.target = '_blank';
  link.rel = 'noopener';
  link.textContent = text.open;
  root.append(title, img, meta, link);
  return root;
}

/** Adds the layer (again after a style change) and keeps it filled; returns the cleanup. */
export function attachEvidencePhotoLayer(map: MapLibreMap, text: () => EvidencePhotoText): () => void {
  let seq = 0;
  const ensure = () => {
    if (map.getSource(SOURCE)) return;
    addLayer(map, { type: 'geojson', data: evidencePhotosGeoJson([]) }, {
      id: SOURCE,
      type: 'circle',
      source: SOURCE,
      minzoom: EVIDENCE_PHOTO_MIN_ZOOM,
      paint: { 'circle-radius': 5, 'circle-color': EVIDENCE_PHOTO_COLOR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
    });
  };
  const refresh = () => {
    if (!map.isStyleLoaded() || map.getZoom() < EVIDENCE_PHOTO_MIN_ZOOM) return;
    ensure();
    const b = map.getBounds();
    const mine = ++seq;
    request<{ items: EvidencePhotoPoint[] }>('GET', `/api/photos?bbox=${[b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',')}&limit=500`)
      .then(({ items }) => {
        if (mine === seq) (map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(evidencePhotosGeoJson(items));
      })
      // The layer is an extra: a failed fetch leaves the last points in place.
      .catch(() => undefined);
  };
  const onClick = (e: { features?: { properties: Record<string, unknown> }[]; lngLat: { lng: number; lat: number } }) => {
    const f = e.features?.[0];
    if (!f) return;
    new Popup({ maxWidth: '280px', className: 'tuban-popup' }).setLngLat(e.lngLat).setDOMContent(popupContent(f.properties, text())).addTo(map);
  };
  map.on('style.load', ensure);
  map.on('moveend', refresh);
  map.once('idle', refresh);
  map.on('click', SOURCE, onClick);
  return () => {
    map.off('style.load', ensure);
    map.off('moveend', refresh);
    map.off('click', SOURCE, onClick);
  };
}
