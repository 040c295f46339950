import { useCallback, useEffect, useMemo, useState } from 'react';
import './map.css';
import { api, type StreetFeature, type User } from '../api';
import { DEMO_BOUNDARY_SOURCE, type Dataset } from '../domain';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { boundsOf } from './bounds';
import { newestFirst } from '../detection/run-progress';
import { runsApi } from '../detection/runs-api';
import { FeaturePopup } from './feature-popup';
import { DEFAULT_IMAGERY_OPACITY, imageryStack } from './imagery-layers';
import { ImageryPanel, type ImageryListState } from './imagery-panel';
import { LayerPanel } from './layer-panel';
import { Legend } from './legend';
import type { MapSelection, Visibility } from './map-overlay';
import { MapView, type MapFocus, type MapStatus } from './map-view';
import { StreetList, type StreetsState } from './street-list';
import { useLoaded } from '../use-load';

const ALL_VISIBLE: Visibility = { streets: true, hotspots: true, registry: true, candidates: true };

const STATUS_MESSAGE: Partial<Record<MapStatus, MessageKey>> = {
  loading: 'map.loading',
  initFailed: 'map.initFailed',
  tileError: 'map.tileError',
  basemapFailed: 'map.basemapFailed',
};

interface Props {
  basemapStyleUrl: string | null;
  onSessionExpired: () => void;
  role: User['role'];
}

export function MapPage({ basemapStyleUrl, onSessionExpired, role }: Props) {
  const t = useT();
  const [visible, setVisible] = useState<Visibility>(ALL_VISIBLE);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [mapStatus, setMapStatus] = useState<MapStatus>('loading');
  const [streetsAttempt, setStreetsAttempt] = useState(0);
  const [shownImagery, setShownImagery] = useState<ReadonlyMap<number, number>>(new Map());

  const imageryList: ImageryListState = useLoaded(() => runsApi.readyImagery().then(newestFirst), [], onSessionExpired);

  const imageryOverlays = useMemo(
    () => (imageryList.status === 'ready' ? imageryStack(imageryList.data, shownImagery) : []),
    [imageryList, shownImagery],
  );

  const toggleImagery = useCallback((id: number, on: boolean) => {
    setShownImagery((m) => {
      const next = new Map(m);
      if (on) next.set(id, DEFAULT_IMAGERY_OPACITY);
      else next.delete(id);
      return next;
    });
  }, []);

  const setImageryOpacity = useCallback((id: number, opacity: number) => {
    setShownImagery((m) => (m.has(id) ? new Map(m).set(id, opacity) : m));
  }, []);

  const streets: StreetsState = useLoaded(() => api.streets().then((c) => c.features), [streetsAttempt], onSessionExpired);

  const boundarySources = useMemo(
    () => (streets.status === 'ready' ? [...new Set(streets.data.map((s) => s.properties.boundarySource))] : null),
    [streets],
  );

  const toggle = useCallback((dataset: Dataset, on: boolean) => {
    setVisible((v) => ({ ...v, [dataset]: on }));
    if (!on) setSelection((s) => (s?.dataset === dataset ? null : s));
  }, []);

  const zoomTo = useCallback((street: StreetFeature) => {
    const bounds = boundsOf(street.geometry);
    if (bounds) setFocus((f) => ({ bounds, seq: (f?.seq ?? 0) + 1 }));
  }, []);

  const closePopup = useCallback(() => setSelection(null), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // An error outlives the first idle so that the user gets to read it.
  const onStatus = useCallback((next: MapStatus) => {
    setMapStatus((current) => (next === 'ready' && current !== 'loading' ? current : next));
  }, []);

  const statusKey = STATUS_MESSAGE[mapStatus];
  const isError = mapStatus !== 'loading';

  return (
    <div className="map-page">
      <aside className="side-panel">
        <LayerPanel visible={visible} onToggle={toggle} />
        <ImageryPanel state={imageryList} shown={shownImagery} onToggle={toggleImagery} onOpacity={setImageryOpacity} />
        <Legend
          boundarySources={boundarySources}
          demoPartition={boundarySources?.includes(DEMO_BOUNDARY_SOURCE) ?? false}
        />
        <StreetList state={streets} onZoom={zoomTo} onRetry={() => setStreetsAttempt((n) => n + 1)} />
      </aside>
      <main className="map-main">
        <MapView
          basemapStyleUrl={basemapStyleUrl}
          visible={visible}
          selection={selection}
          onSelect={setSelection}
          focus={focus}
          onStatus={onStatus}
          renderPopup={(s) => <FeaturePopup selection={s} onClose={closePopup} role={role} />}
          label={t('map.label')}
          imagery={imageryOverlays}
        />
        {statusKey && (
          <div className={isError ? 'map-status map-status-error' : 'map-status'} role={isError ? 'alert' : 'status'}>
            {t(statusKey)}
            {isError && mapStatus !== 'initFailed' && (
              <button type="button" className="icon-button" onClick={() => setMapStatus('ready')} aria-label={t('popup.close')}>
                ×
              </button>
            )}
          </div>
        )}
      </main>
    </div>
  );
}
