import { useCallback, useEffect, useState } from 'react';
import { useLoad } from '../use-load';
import './triage.css';
import { ApiError, api, type StreetFeature, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { CandidatePanel } from './candidate-panel';
import { mayDownloadEvidence } from './evidence-link';
import { CompareView } from './compare-view';
import { BulkDialog, DismissPicker, HelpOverlay, KnownPicker } from './dialogs';
import { useTriageKeys } from './keys';
import { QueuePanel, type QueueState } from './queue-panel';
import { filterQuery, triageApi, type CandidateDetail, type Decision, type DecisionStatus } from './triage-api';
import { OutlineToolbar } from './outline-toolbar';
import { firstRing, ringPolygon, withFirstRing, type EditMode, type MultiPolygonGeometry, type Ring } from './outline-editor';
import { TriageMap } from './triage-map';
import { announceWorkChanged } from './work-changed';
import { VIEWS, parseTriageUrl, triageSearch, type DismissReason, type TriageUrlState, type View } from './url-state';

type Dialog = null | 'dismiss' | 'known' | 'bulk' | 'help';
type Message = { kind: 'ok' | 'error'; text: string } | null;

interface Props {
  user: User;
  onSessionExpired: () => void;
}

export function TriagePage({ user, onSessionExpired }: Props) {
  const { t, tEnum, formatDate } = useI18n();
  const [url, setUrl] = useState<TriageUrlState>(() => parseTriageUrl(window.location.search));
  const [queue, setQueue] = useState<QueueState>({ status: 'loading' });
  const [queueAttempt, setQueueAttempt] = useState(0);
  const [detail, setDetail] = useState<CandidateDetail | null>(null);
  const [detailLoading, setDetailLoading] = useState(false);
  const [streets, setStreets] = useState<StreetFeature[]>([]);
  const [marked, setMarked] = useState<Set<number>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [refreshKey, setRefreshKey] = useState(0);
  const [tileError, setTileError] = useState(false);
  // ids of the caller's own decisions in this session, latest last, for undo
  const [decided, setDecided] = useState<number[]>([]);
  // an outline being corrected or a missed building being drawn, and its vertices so far
  const [edit, setEdit] = useState<{ mode: EditMode; initial: Ring } | null>(null);
  const [ring, setRing] = useState<Ring>([]);
  const canDecide = user.role === 'office' || user.role === 'admin';

  const fail = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSessionExpired();
      else setMessage({ kind: 'error', text: errorText(t, error) });
    },
    [t, onSessionExpired],
  );

  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${triageSearch(url)}${window.location.hash}`);
  }, [url]);

  useLoad(() => api.streets(), (fc) => setStreets(fc.features), fail, []);

  const filterKey = JSON.stringify(url.filters);
  useLoad(
    () => triageApi.list(url.filters),
    (page) => setQueue({ status: 'ready', items: page.items, total: page.total }),
    (error) => {
      if (error instanceof ApiError && error.status === 401) onSessionExpired();
      else setQueue({ status: 'error', message: errorText(t, error) });
    },
    [filterKey, queueAttempt],
  );

  const loadDetail = useCallback(async (id: number) => {
    setDetailLoading(true);
    try {
      setDetail(await triageApi.detail(id));
    } catch (error) {
      setDetail(null);
      fail(error);
    } finally {
      setDetailLoading(false);
    }
  }, [fail]);

  useEffect(() => {
    setNote('');
    if (url.selected === null) setDetail(null);
    else void loadDetail(url.selected);
  }, [url.selected, loadDetail]);

  const items = queue.status === 'ready' ? queue.items : [];
  const select = (id: number | null) => setUrl((u) => ({ ...u, selected: id }));

  const step = (delta: number) => {
    if (items.length === 0) return;
    const at = items.findIndex((c) => c.id === url.selected);
    const next = at === -1 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + delta));
    select(items[next]!.id);
  };

  /** After a decision the queue reloads; the selection moves on to the next item in the old order. */
  const afterChange = (ids: number[], advance: boolean) => {
    const at = items.findIndex((c) => c.id === url.selected);
    const stays = (id: number) => !ids.includes(id) || !url.filters.status;
    const nextItem = advance ? items.slice(at + 1).find((c) => stays(c.id)) ?? items.slice(0, at).reverse().find((c) => stays(c.id)) : undefined;
    setRefreshKey((k) => k + 1);
    setQueueAttempt((n) => n + 1);
    announceWorkChanged();
    setMarked((m) => new Set([...m].filter((id) => !ids.includes(id))));
    if (advance && nextItem && url.filters.status) select(nextItem.id);
    else if (url.selected !== null) void loadDetail(url.selected);
  };

  /** Where a confirmation or field check went and by when, as the toast says it. */
  const sentTo = (r: { to: string; deadline: string | null; streetName: string | null }): string => {
    if (!r.deadline || !r.streetName) return '';
    const key = r.to === 'field_check' ? 'triage.checkSentTo' : 'triage.caseSentTo';
    return ` · ${t(key, { street: r.streetName, date: formatDate(r.deadline) })}`;
  };

  const decide = async (decision: Decision) => {
    if (!detail || busy) return;
    setDialog(null);
    setBusy(true);
    try {
      const result = await triageApi.decide(detail.id, { ...decision, ...(note.trim() ? { note: note.trim() } : {}) });
      setMessage({
        kind: 'ok',
        text: t('triage.decided', { id: detail.id, status: tEnum('candidateStatus', result.to) }) +
          (result.caseNo ? ` · ${t('triage.confirmedCase', { caseNo: result.caseNo })}` : '') + sentTo(result),
      });
      setDecided((d) => [...d, detail.id]);
      afterChange([detail.id], true);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const undo = async () => {
    const id = decided.at(-1);
    if (id === undefined || busy) return;
    setBusy(true);
    try {
      await triageApi.undo(id);
      setDecided((d) => d.slice(0, -1));
      setMessage({ kind: 'ok', text: t('triage.undone', { id }) });
      announceWorkChanged();
      setRefreshKey((k) => k + 1);
      setQueueAttempt((n) => n + 1);
      if (url.selected === id) void loadDetail(id);
      else select(id);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const review = async (approve: boolean) => {
    if (!detail || busy) return;
    setBusy(true);
    try {
      await triageApi.review(detail.id, approve);
      setMessage({ kind: 'ok', text: t('triage.reviewed', { id: detail.id }) });
      afterChange([detail.id], false);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const bulk = async (scope: 'marked' | 'filter', status: DecisionStatus, reason?: DismissReason) => {
    setBusy(true);
    try {
      const base: Decision = { status, ...(reason ? { reason } : {}) };
      const ids = [...marked];
      const filter = Object.fromEntries(filterQuery(url.filters).entries());
      const typed = Object.fromEntries(
        Object.entries(filter).map(([k, v]) => [k, ['status', 'street', 'from', 'to'].includes(k) ? v : v === 'true' ? true : v === 'false' ? false : Number(v)]),
      );
      const result = scope === 'marked'
        ? await triageApi.bulk({ ...base, ids })
        : await triageApi.bulk({ ...base, filter: typed, expectedCount: queue.status === 'ready' ? queue.total : undefined });
      setDialog(null);
      setMessage({ kind: 'ok', text: t('triage.bulkDone', { count: result.count }) });
      afterChange(scope === 'marked' ? ids : items.map((c) => c.id), false);
      setMarked(new Set());
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const action = (status: DecisionStatus) => {
    if (!canDecide) {
      setMessage({ kind: 'error', text: t('triage.readOnly') });
      return;
    }
    if (!detail) return;
    if (status === 'dismissed') setDialog('dismiss');
    else if (status === 'known') setDialog('known');
    else void decide({ status });
  };

  const startEdit = (mode: EditMode) => {
    if (!canDecide || busy || (mode === 'outline' && !detail)) return;
    const initial = mode === 'outline' ? firstRing(detail!.geometry as MultiPolygonGeometry) : [];
    setUrl((u) => ({ ...u, view: 'map' }));
    setRing(initial);
    setEdit({ mode, initial });
  };

  const saveEdit = async (status?: 'confirmed' | 'known') => {
    if (!edit || busy || ring.length < 3) return;
    setBusy(true);
    try {
      if (edit.mode === 'outline' && detail) {
        await triageApi.correctOutline(detail.id, withFirstRing(detail.geometry as MultiPolygonGeometry, ring));
        setMessage({ kind: 'ok', text: t('triage.outlineSaved', { id: detail.id }) });
        afterChange([detail.id], false);
      } else if (edit.mode === 'draw' && status) {
        const result = await triageApi.drawMissed(ringPolygon(ring), status);
        setMessage({
          kind: 'ok',
          text: t('triage.drawnSaved', { id: result.candidateId, status: tEnum('candidateStatus', result.to) }) +
            (result.caseNo ? ` · ${t('triage.confirmedCase', { caseNo: result.caseNo })}` : '') + sentTo(result),
        });
        setRefreshKey((k) => k + 1);
        setQueueAttempt((n) => n + 1);
        select(result.candidateId);
      }
      setEdit(null);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const toggleMark = (id: number) =>
    setMarked((m) => {
      const next = new Set(m);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useTriageKeys(dialog !== null || edit !== null, (a) => {
    switch (a) {
      case 'next': return step(1);
      case 'prev': return step(-1);
      case 'confirm': return action('confirmed');
      case 'known': return action('known');
      case 'dismiss': return action('dismissed');
      case 'fieldCheck': return action('field_check');
      case 'undo': return void undo();
      case 'mark': return detail ? toggleMark(detail.id) : undefined;
      case 'markAll': return setMarked(new Set(items.map((c) => c.id)));
      case 'bulk': return canDecide ? setDialog('bulk') : undefined;
      case 'view': return setUrl((u) => ({ ...u, view: VIEWS[(VIEWS.indexOf(u.view) + 1) % VIEWS.length]! }));
      case 'help': return setDialog((d) => (d === 'help' ? null : 'help'));
      case 'close': return setDialog(null);
    }
  });

  const selectedRef = detail ? { id: detail.id, bbox: detail.bbox } : null;

  return (
    <div className="triage-page">
      <QueuePanel
        filters={url.filters}
        onFilters={(filters) => setUrl((u) => ({ ...u, filters }))}
        streets={streets}
        queue={queue}
        selected={url.selected}
        marked={marked}
        onSelect={select}
        onToggleMark={toggleMark}
        onRetry={() => setQueueAttempt((n) => n + 1)}
      />
      <main className="triage-main">
        <div className="view-switch" role="group" aria-label={t('triage.view')}>
          {VIEWS.map((v: View) => (
            <button key={v} type="button" aria-pressed={url.view === v} onClick={() => setUrl((u) => ({ ...u, view: v }))}>
              {t(`triage.view.${v}` as MessageKey)}
            </button>
          ))}
          {canDecide && (
            <button type="button" onClick={() => setDialog('bulk')}>{t('triage.bulkTitle')} <kbd>Shift+B</kbd></button>
          )}
          <button type="button" onClick={() => setDialog('help')} aria-label={t('triage.help')}>?</button>
        </div>
        <TriageMap
          selected={selectedRef}
          imagery={detail?.afterImagery ?? null}
          refreshKey={refreshKey}
          onPick={select}
          onTileError={() => setTileError(true)}
          label={t('map.label')}
          edit={edit}
          onEditChange={setRing}
        />
        {canDecide && (
          <OutlineToolbar
            mode={edit?.mode ?? null}
            vertices={ring.length}
            canCorrect={detail !== null}
            busy={busy}
            onStart={startEdit}
            onSave={(status) => void saveEdit(status)}
            onCancel={() => setEdit(null)}
          />
        )}
        {url.view !== 'map' && (
          <div className="compare-layer">
            {detail ? <CompareView detail={detail} mode={url.view} /> : <p className="compare-note">{t('triage.compareNoCandidate')}</p>}
          </div>
        )}
        {tileError && (
          <div className="map-status map-status-error" role="alert">
            {t('map.tileError')}
            <button type="button" className="icon-button" onClick={() => setTileError(false)} aria-label={t('popup.close')}>×</button>
          </div>
        )}
        {message && (
          <div className={message.kind === 'ok' ? 'triage-toast' : 'triage-toast triage-toast-error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
            {message.text}
            <button type="button" className="icon-button" onClick={() => setMessage(null)} aria-label={t('popup.close')}>×</button>
          </div>
        )}
        {dialog === 'dismiss' && <DismissPicker onChoose={(reason) => void decide({ status: 'dismissed', reason })} onCancel={() => setDialog(null)} />}
        {dialog === 'known' && detail && (
          <KnownPicker bbox={detail.bbox} onChoose={(registryItemId) => void decide({ status: 'known', registryItemId })} onCancel={() => setDialog(null)} />
        )}
        {dialog === 'bulk' && (
          <BulkDialog
            markedCount={marked.size}
            filterCount={queue.status === 'ready' ? queue.total : 0}
            busy={busy}
            onApply={(scope, status, reason) => void bulk(scope, status, reason)}
            onCancel={() => setDialog(null)}
          />
        )}
        {dialog === 'help' && <HelpOverlay onClose={() => setDialog(null)} />}
      </main>
      <CandidatePanel
        detail={detail}
        loading={detailLoading}
        canDecide={canDecide}
        busy={busy}
        note={note}
        onNote={setNote}
        onAction={action}
        onUndo={() => void undo()}
        canUndo={decided.length > 0}
        onReview={(approve) => void review(approve)}
        canDownloadEvidence={mayDownloadEvidence(user.role)}
      />
    </div>
  );
}
