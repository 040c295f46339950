import { useState } from 'react';
import { ApiError, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { useLoad } from '../use-load';
import { modelsApi, type ModelVersion, type ModelVersions } from './models-api';
import { comparedWithActive, evaluationSets, formatScore, SCORES } from './scores';
import './models.css';

interface Props {
  user: User;
  onSessionExpired: () => void;
}

/**
 * Change-model versions (模型版本): each version's scores beside the active one's on the same evaluation sets,
 * where it came from, and for an admin one click to promote a version or roll back to the one active before.
 */
export function ModelsPage({ user, onSessionExpired }: Props) {
  const { t } = useI18n();
  const isAdmin = user.role === 'admin';
  const [data, setData] = useState<ModelVersions | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return onSessionExpired();
    setMessage({ kind: 'error', text: errorText(t, err) });
  };
  useLoad(() => modelsApi.list(), setData, failed, [tick]);

  async function act(work: () => Promise<unknown>, notice: string) {
    setBusy(true);
    setMessage(null);
    try {
      await work();
      setMessage({ kind: 'notice', text: notice });
      setTick((n) => n + 1);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  const active = data?.versions.find((v) => v.status === 'active');
  const sets = data ? evaluationSets(data.versions) : [];
  return (
    <div className="models-page">
      <h2>{t('models.title')}</h2>
      <p className="muted">{t('models.intro')}</p>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {isAdmin && active && (
        <button type="button" disabled={busy} onClick={() => void act(() => modelsApi.rollback(), t('models.rolledBack'))}>
          {t('models.rollback')}
        </button>
      )}
      {data === null ? (
        <p className="muted" role="status">{t('app.loading')}</p>
      ) : data.versions.length === 0 ? (
        <p className="muted">{t('models.none')}</p>
      ) : (
        <ol className="model-list">
          {data.versions.map((v) => (
            <VersionCard
              key={v.version}
              version={v}
              active={active}
              sets={sets}
              onPromote={isAdmin && v.status !== 'active' && !busy
                ? () => void act(() => modelsApi.promote(v.version), t('models.promoted', { version: v.version }))
                : undefined}
            />
          ))}
        </ol>
      )}
      {data && data.events.length > 0 && (
        <section aria-label={t('models.history')}>
          <h3>{t('models.history')}</h3>
          <ol className="model-events">
            {data.events.map((e) => (
              <li key={e.id}>
                <EventLine event={e} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function VersionCard({ version: v, active, sets, onPromote }: {
  version: ModelVersion;
  active: ModelVersion | undefined;
  sets: string[];
  onPromote?: () => void;
}) {
  const { t, formatDate } = useI18n();
  const compare = active !== undefined && active.version !== v.version;
  return (
    <li className={`model-version status-${v.status}`} data-version={v.version}>
      <header>
        <strong>{v.name} {v.version}</strong> <span className={`badge model-${v.status}`}>{t(`models.status.${v.status}`)}</span>
        {onPromote && (
          <button type="button" onClick={onPromote}>
            {t('models.promote')}
          </button>
        )}
      </header>
      <p className="muted small">
        {v.parentVersion ? t('models.parent', { version: v.parentVersion }) : t('models.shipped')}
        {' · '}
        {t('models.created', { who: v.createdBy ?? t('models.system'), at: formatDate(v.createdAt) })}
        {v.promotedAt && <> · {t('models.promotedAt', { who: v.promotedBy ?? t('models.system'), at: formatDate(v.promotedAt) })}</>}
      </p>
      <table className="model-scores">
        <thead>
          <tr>
            <th scope="col">{t('models.set')}</th>
            {SCORES.map((s) => (
              <th scope="col" key={s.key}>{t(`models.score.${s.key}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sets.map((set) => (
            <tr key={set} data-set={set}>
              <th scope="row">{t('models.setName', { set })}</th>
              {SCORES.map((s) => {
                const value = v.metrics[set]?.[s.key];
                const ref = compare ? active.metrics[set]?.[s.key] : undefined;
                const verdict = compare ? comparedWithActive(s.key, value, ref) : null;
                return (
                  <td key={s.key} className={verdict ?? undefined} data-score={s.key}>
                    {formatScore(s.key, value)}
                    {compare && <span className="muted small"> ({t('models.activeValue', { value: formatScore(s.key, ref) })})</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

function EventLine({ event: e }: { event: ModelVersions['events'][number] }) {
  const { t, formatDate } = useI18n();
  const who = e.actorName ?? t('models.system');
  return (
    <span>
      {formatDate(e.at)} · {t(`models.event.${e.action}`, { version: e.version, previous: e.previousVersion ?? '—', who })}
      {e.note && <span className="muted"> — {e.note}</span>}
    </span>
  );
}
