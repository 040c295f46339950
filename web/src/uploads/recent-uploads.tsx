// Finished uploads as the server keeps them, so the list survives a reload: what each became, whether its
// ingest failed and why, whether it lies outside the district, and what automatic detection made of it.
import { useEffect, useState } from 'react';
import { request, type User } from '../api';
import type { ApiResponse } from '../api-types';
import { codedText, errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';

export type RecentUpload = ApiResponse<'/api/uploads'>['items'][number];

const REFRESH_MS = 5000;
const isSettled = (u: RecentUpload) =>
  u.status === 'failed' || (u.status === 'ready' && (u.detectionErrorCode !== null || u.runStatus === 'done' || u.runStatus === 'failed'));

export const uploadsApi = {
  recent: () => request<{ items: RecentUpload[] }>('GET', '/api/uploads?limit=50'),
  accept: (imageryId: number) => request<{ imageryId: number; accepted: true }>('POST', `/api/imagery/${imageryId}/accept`, {}),
};

/** The list, read again every few seconds while an item is still on its way (and when `refreshKey` changes). */
export function RecentUploads({ user, refreshKey }: { user: User; refreshKey: number }) {
  const { t } = useI18n();
  const [items, setItems] = useState<RecentUpload[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let stale = false;
    uploadsApi.recent().then(
      (r) => !stale && (setItems(r.items), setError(null)),
      (e: unknown) => !stale && setError(errorText(t, e)),
    );
    return () => {
      stale = true;
    };
  }, [refreshKey, tick, t]);

  const pending = items?.some((u) => !isSettled(u)) ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => setTick((n) => n + 1), REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [pending, items]);

  const accept = (imageryId: number) =>
    uploadsApi.accept(imageryId).then(() => setTick((n) => n + 1), (e: unknown) => setError(errorText(t, e)));

  if (!items) return error ? <p className="error" role="alert">{error}</p> : null;
  return (
    <section>
      <h3>{t('uploads.recentTitle')}</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {items.length === 0 && <p className="muted">{t('uploads.recentNone')}</p>}
      {items.length > 0 && (
        <table className="data-table" aria-label={t('uploads.recentTitle')} data-testid="recent-uploads">
          <thead>
            <tr>
              <th>{t('uploads.file')}</th>
              <th>{t('uploads.ingest')}</th>
              <th>{t('uploads.detection')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.uploadId} data-imagery={u.imageryId}>
                <td>
                  {u.fileName}
                  <div className="muted">{t('uploads.imagery', { id: u.imageryId })}{u.duplicate ? ` · ${t('uploads.duplicateShort')}` : ''}</div>
                </td>
                <td><IngestCell u={u} /></td>
                <td><DetectionCell u={u} canAccept={user.role === 'admin'} onAccept={accept} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function IngestCell({ u }: { u: RecentUpload }) {
  const { t, tEnum, formatNumber } = useI18n();
  return (
    <>
      <span className="ingest-status">{tEnum('imageryStatus', u.status)}</span>
      {u.status === 'failed' && (
        <div className="error" role="alert">
          {codedText(t, u.errorCode, u.errorParams, u.error ?? '')}
          <div className="muted">{t('uploads.retryHint')}</div>
        </div>
      )}
      {u.outsideDistrictM !== null && (
        <div className="notice" role="status">
          {t('uploads.outsideDistrict', { km: formatNumber(u.outsideDistrictM / 1000, 1) })}
          {u.acceptedAt && ` ${t('uploads.accepted')}`}
        </div>
      )}
    </>
  );
}

function DetectionCell({ u, canAccept, onAccept }: { u: RecentUpload; canAccept: boolean; onAccept: (id: number) => void }) {
  const { t } = useI18n();
  if (u.status !== 'ready') return <span className="muted">—</span>;
  const waitingForAdmin = u.outsideDistrictM !== null && u.acceptedAt === null;
  return (
    <>
      {u.detectionErrorCode !== null && u.runId === null && (
        <div className="error" role="alert">
          {t('uploads.detectionNotRun', { reason: codedText(t, u.detectionErrorCode, u.detectionErrorParams, u.detectionError ?? '') })}
        </div>
      )}
      {u.runStatus === 'failed' && (
        <div className="error" role="alert">{t('uploads.detectionFailed', { id: u.runId ?? '?', error: codedText(t, u.runErrorCode, u.runErrorParams, u.runError ?? '') })}</div>
      )}
      {u.runStatus === 'done' && <span>{t('uploads.detectionDone', { count: u.candidatesFound ?? 0 })}</span>}
      {(u.runStatus === 'planned' || u.runStatus === 'running') && <span>{t('uploads.detectionRunning')}</span>}
      {u.runId === null && u.detectionErrorCode === null && !waitingForAdmin && <span className="muted">{t('uploads.detectionWaiting')}</span>}
      {waitingForAdmin && canAccept && (
        <button type="button" onClick={() => onAccept(u.imageryId)}>{t('uploads.acceptAndDetect')}</button>
      )}
    </>
  );
}
