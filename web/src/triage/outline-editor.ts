// Editing outlines on the triage map: drag a candidate's vertices to correct its outline, or click vertex after
// vertex to draw a building the model missed. Plain MapLibre layers and mouse events, nothing else.
import type { GeoJSONSource, MapMouseEvent } from 'maplibre-gl';
import type { MapLibreMap } from '../map/maplibre';

/** An open ring of lon/lat vertices (the closing vertex is left out). */
export type Ring = [number, number][];
export interface PolygonGeometry { type: 'Polygon'; coordinates: [number, number][][] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: [number, number][][][] }
interface Feature { type: 'Feature'; properties: Record<string, number>; geometry: PolygonGeometry | { type: 'LineString' | 'Point'; coordinates: unknown } }
export type EditMode = 'outline' | 'draw';

const SOURCE = 'edit-outline';
const VERTICES = 'edit-vertices';
const LAYERS = ['edit-fill', 'edit-line', VERTICES];

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** What the editor draws: the polygon (or the line so far) and each vertex as a point with its index. */
export function editFeatures(ring: Ring): { type: 'FeatureCollection'; features: Feature[] } {
  const shape: Feature[] = ring.length >= 3
    ? [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } }]
    : ring.length === 2 ? [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring } }] : [];
  const points: Feature[] = ring.map((p, index) => ({ type: 'Feature', properties: { index }, geometry: { type: 'Point', coordinates: p } }));
  return { type: 'FeatureCollection', features: [...shape, ...points] };
}

/** The first polygon's outer ring of a MultiPolygon, open. */
export function firstRing(geometry: MultiPolygonGeometry): Ring {
  const ring = geometry.coordinates[0]![0]!;
  return ring.slice(0, -1).map(([x, y]) => [x, y]);
}

/** A MultiPolygon with the first polygon's outer ring replaced by `ring` (holes and other parts kept). */
export function withFirstRing(geometry: MultiPolygonGeometry, ring: Ring): MultiPolygonGeometry {
  const [first, ...rest] = geometry.coordinates;
  return { type: 'MultiPolygon', coordinates: [[[...ring, ring[0]!], ...first!.slice(1)], ...rest] };
}

export const ringPolygon = (ring: Ring): PolygonGeometry => ({ type: 'Polygon', coordinates: [[...ring, ring[0]!]] });

/**
 * Puts the editor on the map: vertices can be dragged; in draw mode a click adds a vertex. `onChange` gets the
 * ring after each change. Returns what takes it off again.
 */
export function attachOutlineEditor(map: MapLibreMap, mode: EditMode, initial: Ring, onChange: (ring: Ring) => void): () => void {
  const ring: Ring = initial.map(([x, y]) => [x, y]);
  map.addSource(SOURCE, { type: 'geojson', data: editFeatures(ring) });
  map.addLayer({ id: 'edit-fill', type: 'fill', source: SOURCE, filter: ['==', '$type', 'Polygon'], paint: { 'fill-color': '#0969da', 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'edit-line', type: 'line', source: SOURCE, filter: ['!=', '$type', 'Point'], paint: { 'line-color': '#0969da', 'line-width': 2 } });
  map.addLayer({
    id: VERTICES, type: 'circle', source: SOURCE, filter: ['==', '$type', 'Point'],
    paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': '#0969da', 'circle-stroke-width': 2 },
  });
  const changed = () => {
    (map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(editFeatures(ring));
    onChange(ring.map(([x, y]) => [x, y]));
  };
  const vertexAt = (e: MapMouseEvent): number | null => {
    const index = map.queryRenderedFeatures(e.point, { layers: [VERTICES] })[0]?.properties?.index;
    return typeof index === 'number' ? index : null;
  };
  let dragging: number | null = null;
  let dragged = false;
  const down = (e: MapMouseEvent) => {
    dragging = vertexAt(e);
    dragged = false;
    if (dragging === null) return;
    e.preventDefault();
    map.dragPan.disable();
  };
  const move = (e: MapMouseEvent) => {
    if (dragging === null) return;
    ring[dragging] = [round(e.lngLat.lng), round(e.lngLat.lat)];
    dragged = true;
    changed();
  };
  const up = () => {
    if (dragging === null) return;
    dragging = null;
    map.dragPan.enable();
  };
  const click = (e: MapMouseEvent) => {
    if (mode !== 'draw' || dragged || vertexAt(e) !== null) return;
    ring.push([round(e.lngLat.lng), round(e.lngLat.lat)]);
    changed();
  };
  map.on('mousedown', down);
  map.on('mousemove', move);
  map.on('mouseup', up);
  map.on('click', click);
  map.getCanvas().style.cursor = 'crosshair';
  return () => {
    map.off('mousedown', down);
    map.off('mousemove', move);
    map.off('mouseup', up);
    map.off('click', click);
    map.dragPan.enable();
    map.getCanvas().style.cursor = '';
    for (const id of LAYERS) if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  };
}
