import { useState } from 'react';
import { ApiError, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { chipUrl } from '../triage/candidate-chips';
import { useLoad } from '../use-load';
import { drillsApi, type Drill, type DrillAnswer, type TraineeSummary } from './drills-api';
import './drills.css';

const DRILL_SIZE = 10;

interface Props {
  user: User;
  onSessionExpired: () => void;
}

/**
 * Drills (研判演练) for staff in rotation at the demolition office: decided candidates shown as before/after crops
 * with no answer, each answer scored against the office's decision, and a summary per trainee. Nothing a trainee
 * answers changes a real case.
 */
export function DrillsPage({ onSessionExpired }: Props) {
  const { t } = useI18n();
  const [drill, setDrill] = useState<Drill | null>(null);
  const [position, setPosition] = useState(1);
  const [summary, setSummary] = useState<TraineeSummary[] | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return onSessionExpired();
    setError(errorText(t, err));
  };
  useLoad(() => drillsApi.summary(), setSummary, failed, [tick]);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }
  const start = () => run(async () => {
    setDrill(await drillsApi.start(DRILL_SIZE));
    setPosition(1);
  });
  const answer = (value: DrillAnswer) => run(async () => {
    if (!drill) return;
    await drillsApi.answer(drill.id, position, value);
    setDrill(await drillsApi.get(drill.id));
    setTick((n) => n + 1);
  });

  const item = drill?.items.find((i) => i.position === position) ?? null;
  const done = drill !== null && drill.answered === drill.items.length;
  return (
    <div className="drills-page">
      <h2>{t('drills.title')}</h2>
      <p className="muted">{t('drills.intro')}</p>
      {error && <p className="error" role="alert">{error}</p>}
      {(drill === null || done) && (
        <button type="button" disabled={busy} onClick={() => void start()}>{t('drills.start', { count: DRILL_SIZE })}</button>
      )}
      {drill && done && (
        <p className="drill-score" role="status">{t('drills.score', { correct: drill.correct, total: drill.items.length })}</p>
      )}
      {drill && item && (
        <section className="drill-item" aria-label={t('drills.question', { n: item.position, total: drill.items.length })} data-candidate={item.candidateId}>
          <h3>{t('drills.question', { n: item.position, total: drill.items.length })}</h3>
          <p className="muted small">{t('drills.area', { area: item.areaM2 })}</p>
          <div className="drill-chips">
            {(['before', 'after'] as const).map((which) => (
              <figure key={which}>
                <img src={chipUrl(item.candidateId, which)} alt={t(`chips.${which}`)} data-chip={which} />
                <figcaption>{t(`chips.${which}`)}</figcaption>
              </figure>
            ))}
          </div>
          {item.answer === null ? (
            <div className="drill-answers">
              <button type="button" disabled={busy} onClick={() => void answer('change')}>{t('drills.answer.change')}</button>
              <button type="button" disabled={busy} onClick={() => void answer('no_change')}>{t('drills.answer.no_change')}</button>
            </div>
          ) : (
            <div className="drill-feedback">
              <p className={item.correct ? 'drill-right' : 'drill-wrong'} role="status">
                {item.correct ? t('drills.right') : t('drills.wrong', { expected: t(`drills.answer.${item.expected ?? 'change'}`) })}
              </p>
              {item.position < drill.items.length && (
                <button type="button" onClick={() => setPosition((p) => p + 1)}>{t('drills.next')}</button>
              )}
            </div>
          )}
        </section>
      )}
      <section aria-label={t('drills.summary')}>
        <h3>{t('drills.summary')}</h3>
        {summary === null ? (
          <p className="muted" role="status">{t('app.loading')}</p>
        ) : summary.length === 0 ? (
          <p className="muted">{t('drills.noneYet')}</p>
        ) : (
          <table className="drill-summary">
            <thead>
              <tr>
                {(['trainee', 'sessions', 'answered', 'accuracy', 'missed', 'falseAlarms'] as const).map((c) => (
                  <th key={c} scope="col">{t(`drills.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.map((s) => (
                <tr key={s.traineeId} data-trainee={s.username}>
                  <th scope="row">{s.displayName}</th>
                  <td>{s.sessions}</td>
                  <td>{s.answered}</td>
                  <td>{s.answered ? `${Math.round((100 * s.correct) / s.answered)}%` : '—'}</td>
                  <td>{s.missed}</td>
                  <td>{s.falseAlarms}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
