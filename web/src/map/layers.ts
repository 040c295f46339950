// Pure style building: no DOM and no maplibre runtime, so it is unit-tested in node.
import type { MapOptions } from 'maplibre-gl';
import { DATASETS, type CandidateStatus, type Dataset, type RegistryStatus } from '../domain';

// maplibre-gl re-exports the style-spec types only through its own signatures.
export type StyleSpecification = Exclude<NonNullable<MapOptions['style']>, string>;
export type LayerSpecification = StyleSpecification['layers'][number];
export type SourceSpecification = StyleSpecification['sources'][string];
type FillLayer = Extract<LayerSpecification, { type: 'fill' }>;
type LineLayer = Extract<LayerSpecification, { type: 'line' }>;
type ColorValue = NonNullable<NonNullable<FillLayer['paint']>['fill-color']>;
type Expression = Extract<ColorValue, unknown[]>;

/**
 * The style-spec tuple types reject variadic `match`/`case` arms built from data; the unit tests
 * check these expressions instead.
 */
function expression(parts: unknown[]): Expression {
  return parts as unknown as Expression;
}

export const TILE_MIN_ZOOM = 10;
/** Tiles stop here; MapLibre overzooms them beyond. */
export const TILE_MAX_ZOOM = 16;

export const BACKGROUND_COLOR = '#eef0ea';
export const UNKNOWN_COLOR = '#9e9e9e';
export const SELECTED_COLOR = '#00b8d4';
export const STREET_COLOR = '#4a6fa5';
export const HOTSPOT_COLOR = '#7b3294';

export const REGISTRY_STATUS_COLORS: Record<RegistryStatus, string> = {
  open: '#d62728',
  demolished: '#2ca02c',
  legalized: '#1f77b4',
  confiscated: '#8c564b',
  annotated: '#ff7f0e',
};

export const CANDIDATE_STATUS_COLORS: Record<CandidateStatus, string> = {
  new: '#e6c700',
  confirmed: '#e6007e',
  known: '#7f7f7f',
  dismissed: '#bdbdbd',
  field_check: '#00acc1',
};

/** The feature property each source promotes to the feature id, for feature-state highlighting. */
export const PROMOTE_ID: Record<Dataset, string> = {
  streets: 'code',
  hotspots: 'id',
  registry: 'id',
  candidates: 'id',
};

export function fillLayerId(dataset: Dataset): `${Dataset}-fill` {
  return `${dataset}-fill`;
}

export function lineLayerId(dataset: Dataset): `${Dataset}-line` {
  return `${dataset}-line`;
}

export function layerIdsOf(dataset: Dataset): string[] {
  return [fillLayerId(dataset), lineLayerId(dataset)];
}

/** Fill layers in top-to-bottom order: the first hit under a click is the one the user sees on top. */
export const CLICKABLE_LAYER_IDS: string[] = [...DATASETS].reverse().map(fillLayerId);

export function tileUrl(origin: string, dataset: Dataset): string {
  return `${origin}/tiles/${dataset}/{z}/{x}/{y}.mvt`;
}

export function buildSources(origin: string): Record<Dataset, SourceSpecification> {
  const entries = DATASETS.map((dataset): [Dataset, SourceSpecification] => [
    dataset,
    {
      type: 'vector',
      tiles: [tileUrl(origin, dataset)],
      minzoom: TILE_MIN_ZOOM,
      maxzoom: TILE_MAX_ZOOM,
      promoteId: PROMOTE_ID[dataset],
    },
  ]);
  return Object.fromEntries(entries) as Record<Dataset, SourceSpecification>;
}

/** A `match` on the status property with one arm per known status and a grey fallback. */
export function statusColorExpression(colors: Record<string, string>): Expression {
  return expression(['match', ['get', 'status'], ...Object.entries(colors).flat(), UNKNOWN_COLOR]);
}

const selected = ['boolean', ['feature-state', 'selected'], false];

function whenSelected(yes: unknown, no: unknown): Expression {
  return expression(['case', selected, yes, no]);
}

function fill(dataset: Dataset, color: ColorValue, opacity: number, selectedOpacity: number): FillLayer {
  return {
    id: fillLayerId(dataset),
    type: 'fill',
    source: dataset,
    'source-layer': dataset,
    paint: {
      'fill-color': color,
      'fill-opacity': whenSelected(selectedOpacity, opacity),
    },
  };
}

function line(dataset: Dataset, color: ColorValue, width: number, dashed = false): LineLayer {
  return {
    id: lineLayerId(dataset),
    type: 'line',
    source: dataset,
    'source-layer': dataset,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': whenSelected(SELECTED_COLOR, color),
      'line-width': whenSelected(width + 2, width),
      ...(dashed ? { 'line-dasharray': [3, 2] } : {}),
    },
  };
}

/** Our dataset layers, bottom to top, with predictable ids `<dataset>-fill` and `<dataset>-line`. */
export function buildLayers(): LayerSpecification[] {
  const registryColor = statusColorExpression(REGISTRY_STATUS_COLORS);
  const candidateColor = statusColorExpression(CANDIDATE_STATUS_COLORS);
  return [
    fill('streets', STREET_COLOR, 0.04, 0.15),
    line('streets', STREET_COLOR, 1.2),
    fill('hotspots', HOTSPOT_COLOR, 0.06, 0.2),
    line('hotspots', HOTSPOT_COLOR, 2, true),
    fill('registry', registryColor, 0.45, 0.75),
    line('registry', registryColor, 1),
    fill('candidates', candidateColor, 0.3, 0.6),
    line('candidates', candidateColor, 2),
  ];
}

/**
 * The offline default style: a plain background and our vector tiles. No glyphs or sprites, so no
 * symbol layers; names are shown in popups and the side panel instead.
 */
export function buildStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    sources: buildSources(origin),
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } }, ...buildLayers()],
  };
}
