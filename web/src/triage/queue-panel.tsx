import { useEffect, useRef } from 'react';
import type { StreetFeature } from '../api';
import { CANDIDATE_STATUSES } from '../domain';
import { useI18n } from '../i18n/i18n-context';
import { CANDIDATE_STATUS_COLORS } from '../map/layers';
import type { CandidateSummary } from './triage-api';
import type { TriageFilters } from './url-state';

export type QueueState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: CandidateSummary[]; total: number };

interface Props {
  filters: TriageFilters;
  onFilters: (f: TriageFilters) => void;
  streets: StreetFeature[];
  queue: QueueState;
  selected: number | null;
  marked: ReadonlySet<number>;
  onSelect: (id: number) => void;
  onToggleMark: (id: number) => void;
  onRetry: () => void;
}

export function Chips({ c }: { c: CandidateSummary }) {
  const t = useI18n().t;
  return (
    <span className="chips">
      {c.rebuilt && <span className="chip chip-rebuilt">{t('triage.chip.rebuilt')}</span>}
      {c.villaCompoundId !== null && <span className="chip chip-villa">{t('triage.chip.villa')}</span>}
      {c.overdue && <span className="chip chip-overdue">{t('triage.chip.overdue')}</span>}
      {c.reviewPending && <span className="chip chip-review">{t('triage.chip.review')}</span>}
      {/* before/after badges only where that imagery has tiles to show */}
      {c.beforeImageryReady && <span className="chip chip-imagery">{t('triage.chip.before')}</span>}
      {c.afterImageryReady && <span className="chip chip-imagery">{t('triage.chip.after')}</span>}
    </span>
  );
}

export function QueuePanel({ filters, onFilters, streets, queue, selected, marked, onSelect, onToggleMark, onRetry }: Props) {
  const { t, tEnum, formatNumber } = useI18n();
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected, queue]);
  const set = (patch: Partial<TriageFilters>) => {
    const next = { ...filters, ...patch };
    for (const k of Object.keys(next) as (keyof TriageFilters)[]) if (next[k] === undefined) delete next[k];
    onFilters(next);
  };
  const numberOrUndefined = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

  return (
    <aside className="triage-queue" aria-label={t('triage.queue')}>
      <details className="triage-filters">
        <summary>
          {t('triage.filters')}
          {Object.keys(filters).length > 0 && <span className="muted"> ({Object.keys(filters).length})</span>}
        </summary>
        <label>
          {t('triage.filter.status')}
          <select value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as TriageFilters['status'] })}>
            <option value="">{t('triage.filter.allStatuses')}</option>
            {CANDIDATE_STATUSES.map((s) => <option key={s} value={s}>{tEnum('candidateStatus', s)}</option>)}
          </select>
        </label>
        <label>
          {t('triage.filter.street')}
          <select value={filters.street ?? ''} onChange={(e) => set({ street: e.target.value || undefined })}>
            <option value="">{t('triage.filter.allStreets')}</option>
            {streets.map((s) => <option key={s.properties.code} value={s.properties.code}>{s.properties.name}</option>)}
          </select>
        </label>
        <label>
          {t('triage.filter.villa')}
          <select
            value={filters.villa === undefined ? '' : String(filters.villa)}
            onChange={(e) => set({ villa: e.target.value === '' ? undefined : e.target.value === 'true' })}
          >
            <option value="">{t('triage.filter.villaAny')}</option>
            <option value="true">{t('triage.filter.villaIn')}</option>
            <option value="false">{t('triage.filter.villaOut')}</option>
          </select>
        </label>
        <label>
          {t('triage.filter.minScore')}
          <input type="number" min={0} max={1} step={0.05} value={filters.minScore ?? ''}
            onChange={(e) => set({ minScore: numberOrUndefined(e.target.value) })} />
        </label>
        <label>
          {t('triage.filter.minArea')}
          <input type="number" min={0} step={5} value={filters.minArea ?? ''}
            onChange={(e) => set({ minArea: numberOrUndefined(e.target.value) })} />
        </label>
        <label>
          {t('triage.filter.from')}
          <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
        </label>
        <label>
          {t('triage.filter.to')}
          <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
        </label>
        <label className="filter-check">
          <input type="checkbox" checked={filters.reviewPending === true}
            onChange={(e) => set({ reviewPending: e.target.checked || undefined })} />
          {t('triage.filter.review')}
        </label>
        <label>
          {t('triage.filter.run')}
          <input type="number" min={1} step={1} value={filters.run ?? ''}
            onChange={(e) => set({ run: numberOrUndefined(e.target.value) })} />
        </label>
      </details>
      <div className="queue-head">
        <strong>{t('triage.queue')}</strong>
        {queue.status === 'ready' && <span>{t('triage.count', { total: queue.total })}</span>}
        {marked.size > 0 && <span className="marked-count">{t('triage.marked', { count: marked.size })}</span>}
      </div>
      {queue.status === 'loading' && <p role="status" className="muted">{t('triage.loading')}</p>}
      {queue.status === 'error' && (
        <div role="alert">
          <p className="error">{queue.message}</p>
          <button type="button" onClick={onRetry}>{t('app.retry')}</button>
        </div>
      )}
      {queue.status === 'ready' && queue.items.length === 0 && <p className="muted">{t('triage.empty')}</p>}
      {queue.status === 'ready' && (
        <ol className="queue-list" ref={listRef}>
          {queue.items.map((c) => (
            <li key={c.id} aria-current={c.id === selected} className={c.id === selected ? 'queue-item selected' : 'queue-item'} data-id={c.id}>
              <input type="checkbox" aria-label={t('triage.mark')} checked={marked.has(c.id)} onChange={() => onToggleMark(c.id)} tabIndex={-1} />
              <button type="button" className="queue-button" onClick={() => onSelect(c.id)} aria-label={t('triage.select', { id: c.id })}>
                <span className="status-dot" style={{ background: CANDIDATE_STATUS_COLORS[c.status] }} />
                <span className="queue-main">
                  <span>#{c.id} · {c.streetName ?? '—'}</span>
                  <span className="muted">
                    {t('triage.score', { score: c.scoreMax.toFixed(2) })} · {t('triage.area', { area: formatNumber(c.areaM2, 0) })}
                  </span>
                  <Chips c={c} />
                </span>
                <span className="queue-status">{tEnum('candidateStatus', c.status)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
