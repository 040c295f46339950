import { codedText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { STAGE_ORDER, coregistrationFacts, formatSeconds, isActive, orderedTimings, progressFraction, triageHrefForRun } from './run-progress';
import type { DetectionRun, ImageryItem } from './runs-api';

/** Goes to the triage page within the app; the triage page reads its filters from the query string. */
function openTriage(e: React.MouseEvent<HTMLAnchorElement>, href: string) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function RunRow({ run, afterImagery }: { run: DetectionRun; afterImagery?: ImageryItem }) {
  const { t, formatDate, formatNumber } = useI18n();
  const fraction = progressFraction(run);
  const href = triageHrefForRun(run.id);
  const stageName = (stage: string) => (STAGE_ORDER.includes(stage) ? t(`runs.stage.${stage}` as MessageKey) : stage);
  return (
    <li className={`run-row run-${run.status}`} data-run-id={run.id} data-status={run.status} aria-label={t('runs.run', { id: run.id })}>
      <div className="run-head">
        <strong>{t('runs.run', { id: run.id })}</strong>
        <span className={`run-status run-status-${run.status}`}>{t(`runs.status.${run.status}`)}</span>
        <span className="muted">
          {afterImagery
            ? t('runs.afterImageryNamed', {
                id: run.afterImageryId,
                date: afterImagery.capturedAt ? formatDate(afterImagery.capturedAt).slice(0, 10) : t('runs.noCaptureDate'),
                name: afterImagery.fileName,
              })
            : t('runs.afterImageryRef', { id: run.afterImageryId })}
        </span>
        <span className="muted">{t('runs.model', { name: run.modelName, version: run.modelVersion })}</span>
        <span className="muted">{formatDate(run.createdAt)}</span>
      </div>
      <div className="run-progress">
        <progress
          max={1}
          value={fraction}
          aria-label={t('runs.progressLabel', { id: run.id })}
          aria-valuetext={t('runs.tiles', { done: formatNumber(run.tilesDone), total: formatNumber(run.tilesTotal) })}
        />
        <span className="run-tiles">
          {t('runs.tiles', { done: formatNumber(run.tilesDone), total: formatNumber(run.tilesTotal) })} ({formatNumber(Math.round(fraction * 100))}%)
        </span>
      </div>
      <dl className="run-facts">
        <dt>{t('runs.withoutBaseline')}</dt>
        <dd className={run.tilesWithoutBaseline > 0 ? 'warn' : ''}>{formatNumber(run.tilesWithoutBaseline)}</dd>
        <dt>{t('runs.candidates')}</dt>
        <dd>{run.candidatesFound === null ? '—' : formatNumber(run.candidatesFound)}</dd>
        <dt>{t('runs.settings')}</dt>
        <dd>{t('runs.settingsValue', { zoom: run.zoom, threshold: run.threshold, minArea: run.minAreaM2, villaMinArea: run.villaMinAreaM2 })}</dd>
        <dt>{t('runs.coregistration')}</dt>
        <CoregistrationFact run={run} />
        {run.finishedAt && (
          <>
            <dt>{t('runs.finishedAt')}</dt>
            <dd>{formatDate(run.finishedAt)}</dd>
          </>
        )}
        {orderedTimings(run.timings).length > 0 && (
          <>
            <dt>{t('runs.timings')}</dt>
            <dd className="run-timings">
              {orderedTimings(run.timings)
                .map(([stage, s]) => `${stageName(stage)} ${formatSeconds(s)}`)
                .join(' · ')}
            </dd>
          </>
        )}
      </dl>
      {run.status === 'failed' && (
        <p className="error" role="alert">
          {t('runs.failed', { error: codedText(t, run.errorCode, run.errorParams, run.error ?? t('runs.noErrorText')) })}
        </p>
      )}
      {isActive(run) && run.tilesTotal === 0 && run.tilesWithoutBaseline > 0 && <p className="muted">{t('runs.nothingToCompare')}</p>}
      {run.status === 'done' && (
        <a className="run-triage" href={href} onClick={(e) => openTriage(e, href)}>
          {t('runs.openTriage', { count: run.candidatesFound ?? 0 })}
        </a>
      )}
    </li>
  );
}

/** The before imagery's offset against the after imagery, as the run measured it; flagged when large or unsure. */
function CoregistrationFact({ run }: { run: DetectionRun }) {
  const { t, formatNumber } = useI18n();
  if (!run.coregister) return <dd>{t('runs.coregistrationOff')}</dd>;
  if (!run.coregistration) return <dd>—</dd>;
  const f = coregistrationFacts(run.coregistration);
  return (
    <dd className={f.warn ? 'warn run-coregistration' : 'run-coregistration'}>
      {t('runs.coregistrationValue', { median: formatNumber(f.medianM), max: formatNumber(f.maxM), low: formatNumber(f.lowSharePercent) })}
      {f.warn && <span className="run-coregistration-note"> {t('runs.coregistrationWarn')}</span>}
    </dd>
  );
}
