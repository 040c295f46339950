// 12345 complaints: the office imports, places, dispatches and closes them; a squad sees and closes those sent to
// its street. List | map | the selected complaint with what lies at its spot.
import { useCallback, useEffect, useState } from 'react';
import '../triage/triage.css';
import './complaints.css';
import { ApiError, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { imageryTileUrl } from '../map/imagery-layers';
import { tileAt } from '../triage/imagery-tiles';
import { ComplaintImport } from './complaint-import';
import { ComplaintMap, type LonLat } from './complaint-map';
import { CloseForm, DispatchForm } from './complaint-forms';
import { complaintsApi, type Complaint, type ComplaintDetail, type ComplaintStatus, type SpotImagery } from './complaints-api';

const FILTERS = {
  open: ['received', 'placed', 'dispatched'],
  unplaced: ['received'],
  dispatched: ['dispatched'],
  closed: ['true', 'untrue'],
  all: [],
} as const satisfies Record<string, readonly ComplaintStatus[]>;
type Filter = keyof typeof FILTERS;
const THUMB_ZOOM = 18;

function selectedFromUrl(): number | null {
  const id = Number(new URLSearchParams(window.location.search).get('id'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function keepInUrl(id: number | null): void {
  const url = new URL(window.location.href);
  if (id === null) url.searchParams.delete('id');
  else url.searchParams.set('id', String(id));
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

export function ComplaintsPage({ user, onSessionExpired }: { user: User; onSessionExpired: () => void }) {
  const { t, tEnum, formatDate } = useI18n();
  const office = user.role === 'admin' || user.role === 'office';
  const [filter, setFilter] = useState<Filter>(office ? 'open' : 'dispatched');
  const [list, setList] = useState<Complaint[] | null>(null);
  const [selected, setSelected] = useState<number | null>(selectedFromUrl);
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [placing, setPlacing] = useState(false);
  const [pending, setPending] = useState<LonLat | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const failed = useCallback((e: unknown) => {
    if (e instanceof ApiError && e.status === 401) onSessionExpired();
    else setError(errorText(t, e));
  }, [onSessionExpired, t]);

  const loadList = useCallback(
    () => complaintsApi.list(FILTERS[filter]).then((p) => setList(p.rows), failed),
    [filter, failed],
  );
  useEffect(() => void loadList(), [filter]);

  const loadDetail = useCallback(
    () => (selected === null ? Promise.resolve(setDetail(null)) : complaintsApi.detail(selected).then(setDetail, failed)),
    [selected, failed],
  );
  useEffect(() => void loadDetail(), [selected]);

  const pick = (id: number) => {
    setSelected(id);
    keepInUrl(id);
    setPlacing(false);
    setPending(null);
    setMessage(null);
    setError(null);
  };

  // The message shows once the complaint is shown as it now is.
  const done = async (text: string) => {
    setPlacing(false);
    setPending(null);
    await Promise.all([loadList(), loadDetail()]);
    setMessage(text);
  };

  async function savePlace() {
    if (!pending || selected === null) return;
    try {
      await complaintsApi.place(selected, pending[0], pending[1]);
      await done(t('complaints.placedDone'));
    } catch (e) {
      failed(e);
    }
  }

  const c = detail?.complaint;
  const point: LonLat | null = c && c.lon !== null && c.lat !== null ? [c.lon, c.lat] : null;
  const canPlace = office && (c?.status === 'received' || c?.status === 'placed');
  const canClose = c && (office ? c.status === 'placed' || c.status === 'dispatched' : c.status === 'dispatched');

  return (
    <div className="triage-page complaints-page">
      <aside className="triage-queue" aria-label={t('nav.complaints')}>
        <div className="queue-head"><strong>{t('complaints.title')}</strong></div>
        {office && <ComplaintImport onImported={() => void loadList()} />}
        <div className="complaint-filters" role="group" aria-label={t('complaints.filter')}>
          {(Object.keys(FILTERS) as Filter[]).filter((f) => office || f === 'dispatched' || f === 'closed').map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>{t(`complaints.filter.${f}`)}</button>
          ))}
        </div>
        {list === null && !error && <p role="status" className="muted">{t('app.loading')}</p>}
        {list?.length === 0 && <p className="muted">{t('complaints.none')}</p>}
        <ol className="queue-list" data-testid="complaint-list">
          {list?.map((r) => (
            <li key={r.id} className={`queue-item${r.overdue ? ' overdue' : ''}${selected === r.id ? ' selected' : ''}`}>
              <button type="button" className="queue-button" onClick={() => pick(r.id)}>
                <span className="queue-main">
                  <span>{r.number} · {r.streetName ?? t('complaints.noStreet')}</span>
                  <span className="chip">{tEnum('complaintStatus', r.status)}</span>
                </span>
                <span className="muted complaint-snippet">{r.address || r.content}</span>
                {r.deadline && <span className="muted">{t('complaints.due', { date: r.deadline })}</span>}
                {r.overdue && <span className="chip chip-overdue">{t('triage.chip.overdue')}</span>}
              </button>
            </li>
          ))}
        </ol>
      </aside>
      <div className="triage-main">
        <ComplaintMap point={point} pending={pending} placing={placing} onPick={setPending} label={t('complaints.map')} />
        {placing && <p className="complaint-map-hint" role="status">{t('complaints.placeHint')}</p>}
      </div>
      <section className="triage-detail" aria-label={t('complaints.detail')}>
        {message && <p className="notice" role="status">{message}</p>}
        {error && <p className="error" role="alert">{error}</p>}
        {!c && <p className="muted">{t('complaints.select')}</p>}
        {c && detail && (
          <>
            <h2>{c.number} <span className="detail-status">{tEnum('complaintStatus', c.status)}</span></h2>
            <dl className="complaint-fields">
              <dt>{t('complaints.receivedAt')}</dt><dd>{formatDate(c.receivedAt)}</dd>
              <dt>{t('complaints.address')}</dt><dd>{c.address || '—'}</dd>
              <dt>{t('complaints.content')}</dt><dd>{c.content}</dd>
              <dt>{t('complaints.deadline')}</dt><dd>{c.deadline ?? '—'}</dd>
              <dt>{t('complaints.street')}</dt><dd>{c.streetName ?? t('complaints.noStreet')}</dd>
              <dt>{t('complaints.placedBy')}</dt><dd>{c.placedBy ? t(`complaints.placedBy.${c.placedBy as 'coordinates'}`) : t('complaints.unplaced')}</dd>
              {c.caseNo && <><dt>{t('complaints.case')}</dt><dd>{c.caseNo}</dd></>}
              {c.untrueReason && <><dt>{t('complaints.reason')}</dt><dd>{tEnum('complaintUntrueReason', c.untrueReason)}</dd></>}
              {c.reply && <><dt>{t('complaints.reply')}</dt><dd>{c.reply}</dd></>}
            </dl>
            {canPlace && (
              <div className="complaint-actions">
                <button type="button" aria-pressed={placing} onClick={() => { setPlacing(!placing); setPending(null); }}>
                  {t(point ? 'complaints.movePoint' : 'complaints.placeOnMap')}
                </button>
                {pending && <button type="button" onClick={() => void savePlace()}>{t('complaints.savePoint')}</button>}
              </div>
            )}
            {office && c.status === 'placed' && <DispatchForm key={`d${c.id}`} detail={detail} onDone={(text) => void done(text)} />}
            {canClose && <CloseForm key={`c${c.id}`} detail={detail} onDone={(text) => void done(text)} />}
            <Linked detail={detail} point={point} />
            <h3>{t('complaints.history')}</h3>
            <ol className="complaint-history">
              {detail.history.map((e) => (
                <li key={e.id}>{formatDate(e.at)} · {e.actorName} · {t(`complaints.action.${e.action as 'imported'}`)} → {tEnum('complaintStatus', e.toStatus)}{e.note ? `：${e.note}` : ''}</li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}

/** Registry items and candidates at the spot, and the newest after/before imagery of it as a tile each. */
function Linked({ detail, point }: { detail: ComplaintDetail; point: LonLat | null }) {
  const { t, tEnum, formatDate } = useI18n();
  if (!point) return null;
  const thumb = (label: string, img: SpotImagery | null) => {
    if (!img) return <figure className="complaint-thumb"><figcaption>{label}：{t('complaints.noImagery')}</figcaption></figure>;
    const { x, y, z } = tileAt(point[0], point[1], Math.min(img.maxZoom ?? THUMB_ZOOM, THUMB_ZOOM));
    const src = imageryTileUrl('', img).replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    return (
      <figure className="complaint-thumb">
        <img src={src} alt={`${label} #${img.id}`} width={128} height={128} />
        <figcaption>{label}：#{img.id} {img.capturedAt ? formatDate(img.capturedAt) : ''}</figcaption>
      </figure>
    );
  };
  return (
    <>
      <h3>{t('complaints.registryNear')}</h3>
      {detail.registryItems.length === 0 ? <p className="muted">{t('squad.none')}</p> : (
        <ul className="complaint-links" data-testid="complaint-registry">
          {detail.registryItems.map((r) => <li key={r.id}>{r.caseNo} · {tEnum('registryStatus', r.status)} · {Math.round(r.distanceM)} m{r.address ? ` · ${r.address}` : ''}</li>)}
        </ul>
      )}
      <h3>{t('complaints.candidatesNear')}</h3>
      {detail.candidates.length === 0 ? <p className="muted">{t('squad.none')}</p> : (
        <ul className="complaint-links">
          {detail.candidates.map((cand) => <li key={cand.id}><a href={`/triage?sel=${cand.id}&status=${cand.status}`}>#{cand.id}</a> · {tEnum('candidateStatus', cand.status)} · {Math.round(cand.distanceM)} m</li>)}
        </ul>
      )}
      <h3>{t('complaints.imagery')}</h3>
      <div className="complaint-thumbs">
        {thumb(t('triage.chip.before'), detail.imagery.before)}
        {thumb(t('triage.chip.after'), detail.imagery.after)}
      </div>
    </>
  );
}
