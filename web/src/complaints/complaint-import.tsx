// The office's import of a hotline export: a preview of every row (dry run), then the real import.
import { useState } from 'react';
import { codedText, errorText } from '../error-text';
import { useT } from '../i18n/i18n-context';
import { complaintsApi, type ComplaintImportReport } from './complaints-api';

const CRS = ['wgs84', 'gcj02'] as const;

export function ComplaintImport({ onImported }: { onImported: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<(typeof CRS)[number]>('wgs84');
  const [report, setReport] = useState<ComplaintImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await complaintsApi.importFile(file, crs, dryRun);
      setReport(r);
      if (!dryRun) onImported();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  const summary = (r: ComplaintImportReport) => ({
    total: r.total, add: r.counts.add, placed: r.placed, unplaced: r.unplaced, exists: r.counts.exists,
    invalid: r.counts.invalid + r.counts.duplicate, added: r.added,
  });
  return (
    <details className="complaint-import" open={report !== null || undefined}>
      <summary>{t('complaints.importTitle')}</summary>
      <input type="file" accept=".csv,.xlsx" aria-label={t('complaints.file')} onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); }} />
      <label>
        {t('complaints.crs')}{' '}
        <select value={crs} onChange={(e) => { setCrs(e.target.value as (typeof CRS)[number]); setReport(null); }}>
          {CRS.map((c) => <option key={c} value={c}>{t(`complaints.crs.${c}`)}</option>)}
        </select>
      </label>
      <div className="complaint-actions">
        <button type="button" disabled={!file || busy} onClick={() => void run(true)}>{t('complaints.preview')}</button>
        <button type="button" disabled={!report?.dryRun || report.counts.add === 0 || busy} onClick={() => void run(false)}>{t('complaints.confirm')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <div data-testid="complaint-import-report">
          <p className={report.dryRun ? 'notice' : undefined}>{t(report.dryRun ? 'complaints.previewSummary' : 'complaints.doneSummary', summary(report))}</p>
          <ol className="complaint-import-rows">
            {report.rows.map((r) => (
              <li key={r.row} className={`outcome-${r.outcome}`}>
                <span>{t('complaints.row')} {r.row} · {r.number ?? '—'} · {t(`complaints.outcome.${r.outcome}`)}{r.placedBy ? ` · ${t(`complaints.placedBy.${r.placedBy}`)}` : ''}</span>
                {r.notes.length > 0 && <span className="messages">{r.messages.map((m, i) => codedText(t, r.notes[i]?.code, r.notes[i]?.params, m)).join('；')}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </details>
  );
}
