// Before/after compare of one candidate: swipe, side by side or blink, over the imagery raster tiles
// that ingest serves. Imagery without tiles (yet) shows the outline alone, with a note, not an error.
import { useEffect, useRef, useState } from 'react';
import { useLoad } from '../use-load';
import { useT } from '../i18n/i18n-context';
import { imagerySource, imageryTileUrl } from '../map/imagery-layers';
import { BACKGROUND_COLOR } from '../map/layers';
import type { StyleSpecification } from '../map/layers';
import { useMap, type MapLibreMap } from '../map/maplibre';
import type { CandidateDetail, ImageryRef } from './triage-api';
import { imageryOverlayOf, tileAt } from './imagery-tiles';
import type { View } from './url-state';

const BLINK_MS = 800;
const OUTLINE = '#ff1744';
/** The zoom tiles are probed at when a pyramid does not say how deep it goes (detection's default). */
const PROBE_ZOOM = 18;

function compareStyle(imagery: ImageryRef | null, geometry: CandidateDetail['geometry']): StyleSpecification {
  const withTiles = imagery?.status === 'ready';
  return {
    version: 8,
    sources: {
      ...(withTiles ? { imagery: imagerySource(window.location.origin, imageryOverlayOf(imagery)) } : {}),
      outline: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } },
      ...(withTiles ? [{ id: 'imagery', type: 'raster' as const, source: 'imagery' }] : []),
      { id: 'outline', type: 'line', source: 'outline', paint: { 'line-color': OUTLINE, 'line-width': 2.5 } },
    ],
  };
}

// MapLibre does not report every missing raster tile as an error, so the tile under the candidate
// is asked for once: anything but 200 means the pyramid is not (fully) there.
function useTileProbe(detail: CandidateDetail, onMissing: () => void) {
  useLoad(
    () => {
      const ready = [detail.beforeImagery, detail.afterImagery].filter((imagery) => imagery?.status === 'ready');
      const urls = ready.map((imagery) => {
        const { x, y, z } = tileAt(detail.centroid[0], detail.centroid[1], imagery!.maxZoom ?? PROBE_ZOOM);
        return imageryTileUrl(window.location.origin, imagery!).replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
      });
      return Promise.all(urls.map((url) => fetch(url, { credentials: 'same-origin' }).then((r) => r.status === 200)));
    },
    (found) => found.includes(false) && onMissing(),
    onMissing,
    [detail.id, detail.beforeImagery?.status, detail.afterImagery?.status],
  );
}

function useCompareMap(
  container: React.RefObject<HTMLDivElement | null>,
  imagery: ImageryRef | null,
  detail: CandidateDetail,
  onTileError: () => void,
): MapLibreMap | null {
  return useMap(
    container,
    {
      options: () => ({
        style: compareStyle(imagery, detail.geometry),
        view: { box: detail.bbox, padding: 80, maxZoom: 19 },
        maxZoom: 22,
      }),
      // A missing tile (204/404 before ingest made it) must not break the view.
      setup: (map) => void map.on('error', () => onTileError()),
    },
    [detail.id, imagery?.id, imagery?.status],
  );
}

/** Keeps two maps on the same view; a flag stops the echo. */
function useSync(a: MapLibreMap | null, b: MapLibreMap | null) {
  useEffect(() => {
    if (!a || !b) return;
    let busy = false;
    const follow = (from: MapLibreMap, to: MapLibreMap) => () => {
      if (busy) return;
      busy = true;
      to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() });
      busy = false;
    };
    const ab = follow(a, b);
    const ba = follow(b, a);
    a.on('move', ab);
    b.on('move', ba);
    return () => {
      a.off('move', ab);
      b.off('move', ba);
    };
  }, [a, b]);
}

interface Props {
  detail: CandidateDetail;
  mode: Exclude<View, 'map'>;
}

export function CompareView({ detail, mode }: Props) {
  const t = useT();
  const beforeRef = useRef<HTMLDivElement>(null);
  const afterRef = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState(50);
  const [showAfter, setShowAfter] = useState(true);
  const [tilesMissing, setTilesMissing] = useState(false);
  const onTileError = () => setTilesMissing(true);
  const before = useCompareMap(beforeRef, detail.beforeImagery, detail, onTileError);
  const after = useCompareMap(afterRef, detail.afterImagery, detail, onTileError);
  useSync(before, after);
  useTileProbe(detail, onTileError);

  useEffect(() => {
    before?.resize();
    after?.resize();
    setShowAfter(true);
    if (mode !== 'blink') return;
    const timer = window.setInterval(() => setShowAfter((v) => !v), BLINK_MS);
    return () => window.clearInterval(timer);
  }, [mode, before, after]);

  useEffect(() => {
    if (!before || !after) return;
    document.body.dataset.compareReady = '1';
    // the opening zoom, for tests and for a person inspecting the page
    document.body.dataset.compareZoom = before.getZoom().toFixed(2);
    return () => {
      delete document.body.dataset.compareReady;
      delete document.body.dataset.compareZoom;
    };
  }, [before, after]);

  const noTiles = [detail.beforeImagery, detail.afterImagery].some((i) => i?.status !== 'ready');
  const afterStyle =
    mode === 'swipe' ? { clipPath: `inset(0 0 0 ${position}%)` } : mode === 'blink' ? { visibility: showAfter ? 'visible' as const : 'hidden' as const } : {};

  return (
    <div className={`compare compare-${mode}`} data-testid="compare-view">
      <div className="compare-pane compare-before" ref={beforeRef}>
        <span className="compare-label">{t('triage.compareBefore')} {detail.beforeImagery?.capturedAt?.slice(0, 10) ?? ''}</span>
      </div>
      <div className="compare-pane compare-after" ref={afterRef} style={afterStyle}>
        <span className="compare-label compare-label-after">{t('triage.compareAfter')} {detail.afterImagery?.capturedAt?.slice(0, 10) ?? ''}</span>
      </div>
      {mode === 'swipe' && (
        <>
          <div className="swipe-line" style={{ left: `${position}%` }} />
          <input
            className="swipe-slider"
            type="range"
            min={0}
            max={100}
            value={position}
            aria-label={t('triage.swipe')}
            onChange={(e) => setPosition(Number(e.target.value))}
          />
        </>
      )}
      {mode === 'blink' && (
        <span className="blink-state" role="status">
          {t('triage.blinkShowing', { which: showAfter ? t('triage.compareAfter') : t('triage.compareBefore') })}
        </span>
      )}
      {(noTiles || tilesMissing) && (
        <p className="compare-note" role="status">
          {noTiles ? t('triage.compareNoImagery') : t('triage.compareTilesMissing')}
        </p>
      )}
    </div>
  );
}
