import { useCallback, useEffect, useMemo, useState } from 'react';
import './map.css';
import { api, type StreetFeature, type User } from '../api';
import { DEMO_BOUNDARY_SOURCE, type Dataset } from '../domain';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { boundsOf } from './bounds';
import { request } from '../api';
import { FeaturePopup } from './feature-popup';
import { DEFAULT_IMAGERY_OPACITY } from './imagery-layers';
import { ImageryTimeline, type TimelineDay, type TimelineState } from './imagery-timeline';
import { LayerPanel } from './layer-panel';
import { Legend } from './legend';
import type { MapSelection, Visibility } from './map-overlay';
import { MapView, type MapFocus, type MapStatus } from './map-view';
import { useMapTarget } from './map-target';
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
  const [freshness, setFreshness] = useState(false);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [mapStatus, setMapStatus] = useState<MapStatus>('loading');
  const [streetsAttempt, setStreetsAttempt] = useState(0);
  const target = useMapTarget();
  const [imageryDay, setImageryDay] = useState<number | null>(null);
  const [imageryShown, setImageryShown] = useState(false);
  const [imageryOpacity, setImageryOpacity] = useState(DEFAULT_IMAGERY_OPACITY);

  const timeline: TimelineState = useLoaded(
    () => request<{ days: TimelineDay[] }>('GET', '/api/imagery/timeline').then((r) => r.days),
    [],
    onSessionExpired,
  );
  // the newest date until the user picks another
  const dayIndex = imageryDay ?? (timeline.status === 'ready' ? timeline.data.length - 1 : 0);

  const imageryOverlays = useMemo(() => {
    const day = timeline.status === 'ready' ? timeline.data[dayIndex] : undefined;
    // oldest capture of the date at the bottom, as the server lists them
    return day && imageryShown ? day.imagery.map((item) => ({ ...item, opacity: imageryOpacity })) : [];
  }, [timeline, dayIndex, imageryShown, imageryOpacity]);

  const pickImageryDay = useCallback((index: number) => {
    setImageryDay(index);
    setImageryShown(true);
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
        <LayerPanel visible={visible} onToggle={toggle} freshness={freshness} onFreshness={setFreshness} />
        <ImageryTimeline
          state={timeline}
          index={dayIndex}
          shown={imageryShown}
          opacity={imageryOpacity}
          onPick={pickImageryDay}
          onShown={setImageryShown}
          onOpacity={setImageryOpacity}
        />
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
          freshness={freshness}
          target={target}
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
