import { useEffect, useState } from 'react';
import type { User } from '../api';
import { codedText, errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { adminApi, type ImportReport, type TargetProgress } from './reports-api';

const CRS = ['wgs84', 'cgcs2000', 'gcj02', 'prj', 'EPSG:4528', 'EPSG:4549', 'EPSG:32651', 'EPSG:3857'];

/** Registry import (dry run, then write) and the annual close-out targets, for the office. */
/** Rows a dry run found ready to add (as they are or repaired): confirming makes sense only above 0. */
const importable = (report: { counts: { add: number; repaired: number } }) => report.counts.add + report.counts.repaired;

export function RegistryPage({ user }: { user: User }) {
  const { t, formatNumber } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState('wgs84');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [year, setYear] = useState(new Date().getFullYear());
  const [targets, setTargets] = useState<TargetProgress[] | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const office = ['admin', 'office'].includes(user.role);

  const loadTargets = () => adminApi.progress(year).then((p) => setTargets(p.rows), (e: unknown) => setError(errorText(t, e)));
  useEffect(() => {
    void loadTargets();
  }, [year]);

  async function runImport(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setReport(await adminApi.importFile(file, crs, dryRun));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  async function saveTarget(scope: string) {
    const value = Number(edits[scope]);
    if (!(value >= 0)) return;
    try {
      await adminApi.setTarget(year, scope, value);
      await loadTargets();
    } catch (e) {
      setError(errorText(t, e));
    }
  }

  return (
    <section className="report-page">
      {error && <p className="error">{error}</p>}
      {office && (
        <>
          <h2>{t('registry.importTitle')}</h2>
          <div className="report-head">
            <input type="file" accept=".geojson,.json,.zip,.csv" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); }} />
            <label>
              {t('registry.crs')}{' '}
              <select value={crs} onChange={(e) => { setCrs(e.target.value); setReport(null); }}>
                {CRS.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
            <button type="button" disabled={!file || busy} onClick={() => void runImport(true)}>{t('registry.dryRun')}</button>
            <button type="button" disabled={!report?.dryRun || importable(report) === 0 || busy} onClick={() => void runImport(false)}>{t('registry.confirm')}</button>
          </div>
          {report && (
            <div data-testid="import-report">
              <p className={report.dryRun ? 'notice' : undefined}>
                {t(report.dryRun ? 'registry.dryRunSummary' : 'registry.doneSummary', {
                  total: report.total, add: importable(report), exists: report.counts.exists,
                  invalid: report.counts.invalid + report.counts.duplicate, added: report.added,
                })}
              </p>
              <table className="report-table">
                <thead><tr><th>{t('registry.row')}</th><th>{t('field.caseNo')}</th><th>{t('registry.outcome')}</th><th>{t('field.streetCode')}</th><th>{t('registry.messages')}</th></tr></thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={r.row}><td>{r.row}</td><td>{r.caseNo ?? '—'}</td><td>{t(`registry.outcome.${r.outcome}`)}</td><td>{r.streetCode ?? '—'}</td><td className="messages">{r.messages.map((m, i) => codedText(t, r.notes[i]?.code, r.notes[i]?.params, m)).join('；')}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h2>{t('registry.targetsTitle')}</h2>
      <label>{t('registry.year')} <input type="number" value={year} min={2000} max={2100} onChange={(e) => setYear(Number(e.target.value))} /></label>
      {targets && (
        <table className="report-table" data-testid="targets-table">
          <thead><tr><th>{t('index.street')}</th><th>{t('index.ytd')}</th><th>{t('index.target')}</th><th>{t('index.progress')}</th>{office && <th />}</tr></thead>
          <tbody>
            {targets.map((r) => (
              <tr key={r.scope} className={r.scope === 'district' ? 'district-row' : undefined}>
                <th>{r.name}</th>
                <td>{formatNumber(r.closedOutM2)}</td>
                <td>
                  {office ? (
                    <input aria-label={`${r.name} ${t('index.target')}`} type="number" min={0} value={edits[r.scope] ?? (r.targetM2 ?? '')} onChange={(e) => setEdits({ ...edits, [r.scope]: e.target.value })} />
                  ) : r.targetM2 === null ? '—' : formatNumber(r.targetM2)}
                </td>
                <td>{r.progress === null ? '—' : `${formatNumber(r.progress * 100)}%`}</td>
                {office && <td><button type="button" onClick={() => void saveTarget(r.scope)} disabled={edits[r.scope] === undefined}>{t('registry.save')}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
