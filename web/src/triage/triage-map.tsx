// The triage screen's map: our vector layers, candidates shaded by score, the selection highlighted
// and followed. The page talks to it through props only.
import type { VectorTileSource } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { CANDIDATE_STATUSES } from '../domain';
import { useI18n } from '../i18n/i18n-context';
import { CANDIDATE_STATUS_COLORS, buildStyle, fillLayerId, tileUrl, type SourceSpecification } from '../map/layers';
import { fitBox, useMap, type MapLibreMap, type MapOptions } from '../map/maplibre';
import { syncImagery } from '../map/map-overlay';
import { INITIAL_CENTER, INITIAL_ZOOM } from '../map/map-view';
import { imageryOverlayOf } from './imagery-tiles';
import { attachOutlineEditor, type EditMode, type Ring } from './outline-editor';
import type { Bbox, ImageryRef } from './triage-api';

declare global {
  interface Window {
    __tubanTriageMap?: MapLibreMap;
  }
}

// Faint for weak detections, solid for strong ones; the selected one stands out.
const SCORE_OPACITY = ['case', ['boolean', ['feature-state', 'selected'], false], 0.8,
  ['interpolate', ['linear'], ['coalesce', ['get', 'scoreMax'], 0.5], 0.5, 0.2, 1, 0.65]];

const candidateTiles = (version: string | number) => `${tileUrl(window.location.origin, 'candidates')}?v=${version}`;

function triageMapOptions(): MapOptions {
  // Candidate tiles may be cached for a minute; decisions change them, so each page load asks afresh.
  const style = buildStyle(window.location.origin);
  style.sources.candidates = { ...style.sources.candidates, tiles: [candidateTiles(Date.now())] } as SourceSpecification;
  return { style, view: { center: INITIAL_CENTER, zoom: INITIAL_ZOOM }, maxZoom: 20, hash: true, controls: true };
}

interface Props {
  selected: { id: number; bbox: Bbox } | null;
  /** the selected candidate's (after) imagery, drawn under the vector layers once it has tiles */
  imagery?: ImageryRef | null;
  /** bumps when decisions changed candidate statuses, so tiles are fetched again */
  refreshKey: number;
  onPick: (id: number) => void;
  onTileError: () => void;
  label: string;
  /** an outline being corrected or a building being drawn; clicks then edit instead of picking */
  edit?: { mode: EditMode; initial: Ring } | null;
  onEditChange?: (ring: Ring) => void;
}

export function TriageMap({ selected, imagery, refreshKey, onPick, onTileError, label, edit = null, onEditChange }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const latest = useRef({ onPick, onTileError, onEditChange, editing: edit !== null });
  latest.current = { onPick, onTileError, onEditChange, editing: edit !== null };

  const map = useMap(containerRef, { options: triageMapOptions, setup: wire }, []);

  function wire(instance: MapLibreMap): () => void {
    instance.on('style.load', () => {
      instance.setPaintProperty(fillLayerId('candidates'), 'fill-opacity', SCORE_OPACITY as never);
    });
    instance.on('error', () => latest.current.onTileError());
    instance.once('idle', () => {
      document.body.dataset.triageMapReady = '1';
    });
    instance.on('click', (e) => {
      if (latest.current.editing) return;
      const hit = instance.queryRenderedFeatures(e.point, { layers: [fillLayerId('candidates')] })[0];
      const id = hit?.properties?.id;
      if (typeof id === 'number') latest.current.onPick(id);
    });
    window.__tubanTriageMap = instance;
    return () => {
      if (window.__tubanTriageMap === instance) delete window.__tubanTriageMap;
      delete document.body.dataset.triageMapReady;
    };
  }

  useEffect(() => {
    if (!map || refreshKey === 0) return;
    const source = map.getSource('candidates') as VectorTileSource | undefined;
    source?.setTiles([candidateTiles(`${Date.now()}-${refreshKey}`)]);
  }, [map, refreshKey]);

  useEffect(() => {
    if (!map || !edit) return;
    let detach: (() => void) | null = null;
    const attach = () => {
      detach = attachOutlineEditor(map, edit.mode, edit.initial, (ring) => latest.current.onEditChange?.(ring));
    };
    if (map.isStyleLoaded()) attach();
    else map.once('idle', attach);
    return () => {
      map.off('idle', attach);
      detach?.();
    };
  }, [map, edit]);

  useEffect(() => {
    if (!map) return;
    const stack = imagery?.status === 'ready' ? [imageryOverlayOf(imagery)] : [];
    const apply = () => syncImagery(map, window.location.origin, stack);
    if (map.isStyleLoaded()) apply();
    else map.once('idle', apply);
  }, [map, imagery?.id, imagery?.status]);

  useEffect(() => {
    if (!map || !selected) return;
    const ref = { source: 'candidates', sourceLayer: 'candidates', id: selected.id };
    const apply = (on: boolean) => {
      if (map.getSource('candidates')) map.setFeatureState(ref, { selected: on });
    };
    if (map.isStyleLoaded()) apply(true);
    else map.once('idle', () => apply(true));
    fitBox(map, selected.bbox, { padding: 120, maxZoom: 18, duration: 400 });
    return () => {
      try {
        apply(false);
      } catch {
        // the map was removed first
      }
    };
  }, [map, selected?.id, selected?.bbox.join(',')]);

  return (
    <>
      <div ref={containerRef} className="triage-map" role="region" aria-label={label} />
      <TriageLegend />
    </>
  );
}

function TriageLegend() {
  const { t, tEnum } = useI18n();
  return (
    <div className="triage-legend" aria-label={t('legend.title')}>
      {CANDIDATE_STATUSES.map((s) => (
        <span key={s}>
          <span className="status-dot" style={{ background: CANDIDATE_STATUS_COLORS[s] }} /> {tEnum('candidateStatus', s)}
        </span>
      ))}
      <span className="muted">{t('triage.legendScore')}</span>
    </div>
  );
}
