// A street squad's work: field checks sent to it and registry items awaiting disposition, overdue first.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLoad } from '../use-load';
import './triage.css';
import { ApiError, api, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { Chips } from './queue-panel';
import { EvidenceLink } from './evidence-link';
import { DispositionForm, FieldCheckForm } from './squad-forms';
import { triageApi, type Bbox, type SquadTasks } from './triage-api';
import { TriageMap } from './triage-map';
import { announceWorkChanged } from './work-changed';

type Selected = { kind: 'check' | 'item'; id: number } | null;

export function SquadPage({ user, onSessionExpired }: { user: User; onSessionExpired: () => void }) {
  const { t, tEnum, formatNumber } = useI18n();
  const [tasks, setTasks] = useState<SquadTasks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [streetName, setStreetName] = useState<string | null>(null);
  // On a phone the map is behind a button, so the tasks come first; on a wide screen it is always there.
  const [mapShown, setMapShown] = useState(false);
  const formRef = useRef<HTMLElement>(null);

  // The name is a nicety; the code stays on screen when the list cannot be read.
  useLoad(
    () => (user.streetCode ? api.streets() : Promise.resolve(null)),
    (fc) => setStreetName(fc?.features.find((f) => f.properties.code === user.streetCode)?.properties.name ?? null),
    () => undefined,
    [user.streetCode],
  );

  const load = useCallback(() => {
    triageApi.tasks().then(setTasks, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onSessionExpired();
      else setError(errorText(t, e));
    });
  }, [onSessionExpired, t]);
  useEffect(load, []);

  const pick = (next: NonNullable<Selected>) => {
    setSelected(next);
    // On a phone the form is below the list: bring it into view.
    window.requestAnimationFrame(() => formRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  };

  const done = (text: string) => {
    setMessage(text);
    setSelected(null);
    setRefreshKey((k) => k + 1);
    load();
    announceWorkChanged();
  };

  const check = selected?.kind === 'check' ? tasks?.fieldChecks.find((c) => c.id === selected.id) : undefined;
  const item = selected?.kind === 'item' ? tasks?.registryItems.find((i) => i.id === selected.id) : undefined;
  const focus: { id: number; bbox: Bbox } | null = check ? { id: check.id, bbox: check.bbox } : item ? { id: -item.id, bbox: item.bbox } : null;
  const overdue = (tasks?.fieldChecks.filter((c) => c.overdue).length ?? 0) + (tasks?.registryItems.filter((i) => i.overdue).length ?? 0);

  return (
    <div className="triage-page squad-page">
      <aside className="triage-queue" aria-label={t('nav.squad')}>
        <div className="queue-head">
          <strong>{t('squad.title', { street: streetName ?? user.streetCode ?? t('squad.allStreets') })}</strong>
          {tasks && <span className="muted">{t('squad.today', { date: tasks.today })}</span>}
          {overdue > 0 && <span className="chip chip-overdue">{t('squad.overdueCount', { count: overdue })}</span>}
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        {!tasks && !error && <p role="status" className="muted">{t('squad.loading')}</p>}
        {tasks && (
          <>
            <h3>{t('squad.fieldChecks')}</h3>
            {tasks.fieldChecks.length === 0 && <p className="muted">{t('squad.none')}</p>}
            <ol className="queue-list" data-testid="squad-checks">
              {tasks.fieldChecks.map((c) => (
                <li key={c.id} className={`queue-item${c.overdue ? ' overdue' : ''}${selected?.kind === 'check' && selected.id === c.id ? ' selected' : ''}`}>
                  <button type="button" className="queue-button" onClick={() => pick({ kind: 'check', id: c.id })}>
                    <span className="queue-main">
                      <span>#{c.id} · {c.streetName}</span>
                      <span className="muted">{t('squad.due', { date: c.fieldCheckDue ?? '—' })} · {t('triage.area', { area: formatNumber(c.areaM2, 0) })}</span>
                      <Chips c={c} />
                    </span>
                  </button>
                </li>
              ))}
            </ol>
            <h3>{t('squad.registry')}</h3>
            {tasks.registryItems.length === 0 && <p className="muted">{t('squad.none')}</p>}
            <ol className="queue-list" data-testid="squad-items">
              {tasks.registryItems.map((i) => (
                <li key={i.id} className={`queue-item${i.overdue ? ' overdue' : ''}${selected?.kind === 'item' && selected.id === i.id ? ' selected' : ''}`}>
                  <button type="button" className="queue-button" onClick={() => pick({ kind: 'item', id: i.id })}>
                    <span className="queue-main">
                      <span>{i.caseNo} · {tEnum('registryStatus', i.status)}</span>
                      <span className="muted">{t('squad.due', { date: i.deadline ?? '—' })} · {tEnum('buildingType', i.buildingType)}</span>
                      {i.overdue && <span className="chip chip-overdue">{t('triage.chip.overdue')}</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
      </aside>
      <section className="triage-detail" ref={formRef}>
        {!check && !item && <p className="muted">{t('squad.selectTask')}</p>}
        {check && <FieldCheckForm key={check.id} candidate={check} onDone={done} />}
        {check && <EvidenceLink kind="candidate" id={check.id} />}
        {item && tasks && <DispositionForm key={item.id} item={item} today={tasks.today} onDone={done} />}
        {item && <EvidenceLink kind="registry" id={item.id} />}
      </section>
      <button type="button" className="map-toggle" aria-expanded={mapShown} onClick={() => setMapShown((v) => !v)}>
        {mapShown ? t('squad.hideMap') : t('squad.showMap')}
      </button>
      <main className={mapShown ? 'triage-main map-shown' : 'triage-main'}>
        <TriageMap selected={focus} refreshKey={refreshKey} onPick={(id) => pick({ kind: 'check', id })} onTileError={() => undefined} label={t('map.label')} />
      </main>
      {message && (
        <div className="triage-toast squad-toast" role="status">
          {message}
          <button type="button" className="icon-button" onClick={() => setMessage(null)} aria-label={t('popup.close')}>×</button>
        </div>
      )}
    </div>
  );
}
