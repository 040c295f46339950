import { useCallback, useEffect, useRef, useState } from 'react';
import { useLoad } from '../use-load';
import { ApiError, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { RunRow } from './run-row';
import { POLL_MS, anyActive, newestFirst } from './run-progress';
import { runsApi, type DetectionRun, type ImageryItem } from './runs-api';
import { StartRunForm } from './start-run-form';
import './runs.css';

interface Props {
  user: User;
  onSessionExpired: () => void;
}

/** Detection runs (检测任务) with live progress, and for the office a way to start one. */
export function RunsPage({ user, onSessionExpired }: Props) {
  const { t } = useI18n();
  const canStart = user.role === 'admin' || user.role === 'office';
  const [runs, setRuns] = useState<DetectionRun[] | null>(null);
  const [imagery, setImagery] = useState<ImageryItem[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const tRef = useRef(t);
  tRef.current = t;

  const failed = useCallback(
    (err: unknown): string | null => {
      if (err instanceof ApiError && err.status === 401) {
        onSessionExpired();
        return null;
      }
      return errorText(tRef.current, err);
    },
    [onSessionExpired],
  );

  useLoad(
    () => runsApi.list(),
    (list) => {
      setRuns(list);
      setLoadError(null);
    },
    (err) => setLoadError(failed(err)),
    [tick, failed],
  );

  // Ask again every 2 s only while something is still planned or running (or the last try failed).
  const active = runs !== null && anyActive(runs);
  useEffect(() => {
    if (!active && loadError === null) return;
    const timer = window.setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [active, loadError, runs]);

  // Everyone may read the imagery list; it names each run's imagery, and office and admin pick from it.
  useLoad(
    () => runsApi.readyImagery(),
    (items) => setImagery(newestFirst(items)),
    (err) => {
      setImagery([]);
      const text = failed(err);
      if (text) setMessage({ kind: 'error', text });
    },
    [failed],
  );

  async function start(afterImageryId: number) {
    setBusy(true);
    setMessage(null);
    try {
      const run = await runsApi.start(afterImageryId);
      setMessage({ kind: 'notice', text: t('runs.started', { id: run.id }) });
      setTick((n) => n + 1);
    } catch (err) {
      const text = failed(err);
      if (text) setMessage({ kind: 'error', text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="runs-page">
      <h2>{t('runs.title')}</h2>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {canStart && (
        <section aria-label={t('runs.startTitle')}>
          <h3>{t('runs.startTitle')}</h3>
          <StartRunForm imagery={imagery} busy={busy} onStart={start} />
        </section>
      )}
      <section aria-label={t('runs.listTitle')}>
        <h3>
          {t('runs.listTitle')} {active && <span className="muted small">{t('runs.live')}</span>}
        </h3>
        {loadError && (
          <p className="error" role="alert">
            {loadError}
          </p>
        )}
        {runs === null ? (
          !loadError && <p className="muted" role="status">{t('app.loading')}</p>
        ) : runs.length === 0 ? (
          <p className="muted">{t('runs.none')}</p>
        ) : (
          <ol className="run-list">
            {runs.map((run) => (
              <RunRow key={run.id} run={run} afterImagery={imagery?.find((i) => i.id === run.afterImageryId)} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
