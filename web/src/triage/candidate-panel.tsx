import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { CANDIDATE_STATUS_COLORS } from '../map/layers';
import { CandidateChips } from './candidate-chips';
import { EvidenceLink } from './evidence-link';
import { Chips } from './queue-panel';
import { CONTRACT_TRANSITIONS } from '../api-types';
import type { CandidateDetail, DecisionStatus } from './triage-api';

const ACTIONS: { status: DecisionStatus; key: string; label: MessageKey }[] = [
  { status: 'confirmed', key: 'c', label: 'triage.action.confirm' },
  { status: 'known', key: 'm', label: 'triage.action.known' },
  { status: 'dismissed', key: 'd', label: 'triage.action.dismiss' },
  { status: 'field_check', key: 'f', label: 'triage.action.fieldCheck' },
];

interface Props {
  detail: CandidateDetail | null;
  loading: boolean;
  canDecide: boolean;
  busy: boolean;
  note: string;
  onNote: (note: string) => void;
  onAction: (status: DecisionStatus) => void;
  onUndo: () => void;
  canUndo: boolean;
  onReview: (approve: boolean) => void;
  /** whether this user may download evidence packages */
  canDownloadEvidence: boolean;
}

export function CandidatePanel({ detail, loading, canDecide, busy, note, onNote, onAction, onUndo, canUndo, onReview, canDownloadEvidence }: Props) {
  const { t, tEnum, formatDate, formatNumber } = useI18n();
  if (!detail) {
    return (
      <section className="triage-detail">
        <p className="muted" role="status">{loading ? t('app.loading') : t('triage.noSelection')}</p>
        <p className="muted">{t('triage.helpHint')}</p>
      </section>
    );
  }
  const imageryText = (i: CandidateDetail['beforeImagery']) =>
    i ? `${tEnum('source', i.kind === 'satellite' ? 'satellite' : 'drone')} ${i.capturedAt ? formatDate(i.capturedAt).slice(0, 10) : ''}` : t('triage.imageryNone');
  return (
    <section className="triage-detail" aria-label={t('triage.candidate', { id: detail.id })} data-status={detail.status}>
      <h2>
        <span className="status-dot" style={{ background: CANDIDATE_STATUS_COLORS[detail.status] }} />
        {t('triage.candidate', { id: detail.id })} <span className="detail-status">{tEnum('candidateStatus', detail.status)}</span>
      </h2>
      <Chips c={detail} />
      <CandidateChips candidateId={detail.id} beforeReady={detail.beforeImageryReady} afterReady={detail.afterImageryReady} />
      <dl className="detail-fields">
        <dt>{t('field.streetName')}</dt><dd>{detail.streetName ?? '—'}</dd>
        {detail.villaName && (<><dt>{t('triage.filter.villa')}</dt><dd>{detail.villaName}</dd></>)}
        <dt>{t('field.scoreMax')}</dt><dd>{detail.scoreMax.toFixed(2)} ({detail.scoreMean.toFixed(2)})</dd>
        <dt>{t('field.areaM2')}</dt><dd>{t('triage.area', { area: formatNumber(detail.areaM2) })}</dd>
        {detail.caseNo && (<><dt>{t('field.caseNo')}</dt><dd>{detail.caseNo}</dd></>)}
        {detail.dismissReason && (<><dt>{t('triage.dismissTitle')}</dt><dd>{tEnum('dismissReason', detail.dismissReason)}</dd></>)}
        {detail.fieldCheckDue && (<><dt>{t('field.deadline')}</dt><dd className={detail.overdue ? 'overdue' : ''}>{detail.fieldCheckDue}</dd></>)}
      </dl>
      <p className="muted small">{t('triage.imagery', { before: imageryText(detail.beforeImagery), after: imageryText(detail.afterImagery) })}</p>
      {canDownloadEvidence && <EvidenceLink kind="candidate" id={detail.id} />}
      {canDecide ? (
        <div className="decision-box">
          <input
            className="decision-note"
            type="text"
            placeholder={t('triage.note')}
            aria-label={t('triage.note')}
            value={note}
            maxLength={2000}
            onChange={(e) => onNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
            }}
          />
          <div className="decision-buttons">
            {ACTIONS.map((a) => (
              <button key={a.status} type="button" disabled={busy || !CONTRACT_TRANSITIONS.CandidateStatus[detail.status].includes(a.status)} onClick={() => onAction(a.status)} data-action={a.status}>
                {t(a.label)} <kbd>{a.key}</kbd>
              </button>
            ))}
            <button type="button" disabled={busy || !canUndo} onClick={onUndo}>
              {t('triage.action.undo')} <kbd>u</kbd>
            </button>
            {detail.reviewPending && (
              <>
                <button type="button" disabled={busy} onClick={() => onReview(true)}>{t('triage.action.approve')}</button>
                <button type="button" disabled={busy} onClick={() => onReview(false)}>{t('triage.action.reject')}</button>
              </>
            )}
          </div>
        </div>
      ) : (
        <p className="muted">{t('triage.readOnly')}</p>
      )}
      <h3>{t('triage.history')}</h3>
      {detail.history.length === 0 ? (
        <p className="muted">{t('triage.historyEmpty')}</p>
      ) : (
        <ol className="history" data-testid="history">
          {detail.history.map((e) => (
            <li key={e.id} className={e.undone ? 'undone' : ''}>
              <time>{formatDate(e.at)}</time> {e.actorName}:{' '}
              {e.fromStatus ? tEnum('candidateStatus', e.fromStatus) : '—'} → {tEnum('candidateStatus', e.toStatus)}
              {e.reason && <> · {tEnum('dismissReason', e.reason)}</>}
              {e.caseNo && <> · {e.caseNo}</>}
              {e.isUndo && <> · {t('triage.historyUndo')}</>}
              {e.undone && <> · {t('triage.historyUndone')}</>}
              {e.note && !e.isUndo && <div className="muted">{e.note}</div>}
            </li>
          ))}
        </ol>
      )}
      {detail.photos.length > 0 && (
        <>
          <h3>{t('triage.photos')}</h3>
          <div className="photos">
            {detail.photos.map((p) => (
              <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.url} alt={p.fileName} loading="lazy" />
              </a>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
