// The complaint's spot on a map of our layers (streets, registry, candidates): its point, and while placing,
// the point a click picked. The page talks to it through props only.
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { buildStyle } from '../map/layers';
import { addLayer, useMap, type MapLibreMap } from '../map/maplibre';
import { INITIAL_CENTER, INITIAL_ZOOM } from '../map/map-view';

declare global {
  interface Window {
    __tubanComplaintMap?: MapLibreMap;
  }
}

export type LonLat = [number, number];

const POINTS = 'complaint-points';
const SPOT_ZOOM = 17;

interface Props {
  /** where the complaint is placed, if it is */
  point: LonLat | null;
  /** the point a click picked while placing */
  pending: LonLat | null;
  placing: boolean;
  onPick: (p: LonLat) => void;
  label: string;
}

type PointData = Parameters<GeoJSONSource['setData']>[0];

function pointsOf(point: LonLat | null, pending: LonLat | null): PointData {
  const feature = (p: LonLat, kind: string) => ({ type: 'Feature' as const, properties: { kind }, geometry: { type: 'Point' as const, coordinates: p } });
  return { type: 'FeatureCollection' as const, features: [...(point ? [feature(point, 'placed')] : []), ...(pending ? [feature(pending, 'pending')] : [])] };
}

export function ComplaintMap({ point, pending, placing, onPick, label }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef({ placing, onPick });
  latest.current = { placing, onPick };

  const map = useMap(
    containerRef,
    {
      options: () => ({ style: buildStyle(window.location.origin), view: { center: INITIAL_CENTER, zoom: INITIAL_ZOOM }, maxZoom: 20, controls: true }),
      setup: (instance) => {
        instance.on('style.load', () => {
          addLayer(instance, { type: 'geojson', data: pointsOf(null, null) }, {
            id: POINTS,
            type: 'circle',
            source: POINTS,
            paint: {
              'circle-radius': 8,
              'circle-color': ['match', ['get', 'kind'], 'pending', '#ff9800', '#d7301f'],
              'circle-stroke-color': '#fff',
              'circle-stroke-width': 2,
            },
          });
          setReady(true);
        });
        instance.on('click', (e) => {
          if (latest.current.placing) latest.current.onPick([e.lngLat.lng, e.lngLat.lat]);
        });
        instance.once('idle', () => (document.body.dataset.complaintMapReady = '1'));
        window.__tubanComplaintMap = instance;
        return () => {
          setReady(false);
          if (window.__tubanComplaintMap === instance) delete window.__tubanComplaintMap;
          delete document.body.dataset.complaintMapReady;
        };
      },
    },
    [],
  );

  useEffect(() => {
    if (map && ready) (map.getSource(POINTS) as GeoJSONSource | undefined)?.setData(pointsOf(point, pending));
  }, [map, ready, point?.[0], point?.[1], pending?.[0], pending?.[1]]);

  useEffect(() => {
    if (map && point) map.jumpTo({ center: point, zoom: Math.max(map.getZoom(), SPOT_ZOOM) });
  }, [map, point?.[0], point?.[1]]);

  useEffect(() => {
    if (map) map.getCanvas().style.cursor = placing ? 'crosshair' : '';
  }, [map, placing]);

  return <div ref={containerRef} className="complaint-map" role="region" aria-label={label} />;
}
