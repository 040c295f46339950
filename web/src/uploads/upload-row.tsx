import { useEffect, useState } from 'react';
import { codedText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { followIngest, type IngestState } from './ingest-stream';
import { formatBytes, formatDuration, secondsLeft } from './speed';
import type { TaskState, UploadTask } from './upload-task';

/** One file: upload progress, speed and time left, then its ingest progress live from the server. */
export function UploadRow({ state: s, task }: { state: TaskState; task: UploadTask }) {
  const { t, tEnum } = useI18n();
  const [ingest, setIngest] = useState<IngestState | null>(null);

  useEffect(() => {
    if (s.imageryId === null) return;
    return followIngest(s.imageryId, setIngest);
  }, [s.imageryId]);

  const pct = s.size > 0 ? Math.floor((s.sent / s.size) * 100) : 100;
  const moving = s.phase === 'uploading';
  const status = ingest?.status ?? s.status;
  return (
    <tr className="upload-row" data-file={s.fileName}>
      <td>
        {s.fileName}
        <div className="muted">{formatBytes(s.size)}</div>
      </td>
      <td className="nums">
        <progress max={100} value={pct} aria-label={t('uploads.progressOf', { name: s.fileName })} /> {pct}%
        <div className="muted">
          {formatBytes(s.sent)} / {formatBytes(s.size)}
        </div>
      </td>
      <td className="nums">{moving && Number.isFinite(s.bytesPerSecond) ? `${formatBytes(s.bytesPerSecond)}/s` : '—'}</td>
      <td className="nums">{moving ? formatDuration(secondsLeft(s.sent, s.size, s.bytesPerSecond)) : '—'}</td>
      <td className={s.phase === 'error' ? 'error' : undefined}>
        <span className="upload-phase">{t(`uploads.phase.${s.phase}`)}</span>
        {s.resumed && <div className="muted">{t('uploads.resumed')}</div>}
        {s.duplicate && <div className="notice">{t('uploads.duplicate', { id: s.imageryId ?? '?' })}</div>}
        {s.error && <div>{s.error}</div>}
      </td>
      <td>
        {s.imageryId !== null && (
          <>
            <span className="ingest-status">
              {t('uploads.imagery', { id: s.imageryId })} · {status ? tEnum('imageryStatus', status) : '…'}
            </span>
            {ingest?.status === 'ingesting' && ingest.total ? (
              <div className="nums">
                <progress max={ingest.total} value={ingest.done ?? 0} /> {t('uploads.tiles', { done: ingest.done ?? 0, total: ingest.total })}
              </div>
            ) : null}
            {ingest?.error && <div className="error">{codedText(t, ingest.errorCode, ingest.errorParams, ingest.error)}</div>}
          </>
        )}
      </td>
      <td>
        {(s.phase === 'uploading' || s.phase === 'retrying') && (
          <button type="button" onClick={() => task.pause()}>
            {t('uploads.pause')}
          </button>
        )}
        {(s.phase === 'paused' || s.phase === 'error') && s.imageryId === null && (
          <button type="button" onClick={() => task.resume()}>
            {t('uploads.resume')}
          </button>
        )}
      </td>
    </tr>
  );
}
