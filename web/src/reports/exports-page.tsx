import { useCallback, useEffect, useState } from 'react';
import type { User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { MonthPicker } from './month-picker';
import { reportsApi, type ExportRecord } from './reports-api';
import { lastShanghaiMonth } from '../uploads/http';

const POLL_MS = 2000;

/** The month comes from the page's `?month=` (as on the other report pages), else last month. */
export function ExportsPage({ user, month: initialMonth }: { user: User; month: string | null }) {
  const { t, formatDate } = useI18n();
  const [list, setList] = useState<ExportRecord[] | null>(null);
  const [month, setMonth] = useState(initialMonth ?? lastShanghaiMonth());
  useEffect(() => {
    if (initialMonth) setMonth(initialMonth);
  }, [initialMonth]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () => reportsApi.exports().then(setList, (e: unknown) => setError(errorText(t, e))),
    [t],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // poll while something is still being built
  const pending = list?.some((e) => e.status === 'queued' || e.status === 'running');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [pending, load]);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const { id } = await reportsApi.createExport(month);
      setMessage(t('exports.created', { id }));
      await load();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="report-page">
      <div className="report-head">
        <h2>{t('nav.exports')}</h2>
        {['admin', 'office'].includes(user.role) && (
          <>
            <MonthPicker month={month} onChange={setMonth} />
            <button type="button" onClick={() => void create()} disabled={busy}>
              {busy ? t('exports.creating') : t('exports.create')}
            </button>
          </>
        )}
      </div>
      <p className="registry-exports">
        {t('exports.registryGis')}{' '}
        <a href="/api/registry/export?format=shp" download>{t('exports.shapefile')}</a>{' '}
        <a href="/api/registry/export?format=gpkg" download>{t('exports.geopackage')}</a>
      </p>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error">{error}</p>}
      {list && list.length === 0 && <p className="muted">{t('exports.none')}</p>}
      {list && list.length > 0 && (
        <table className="report-table" data-testid="exports-table">
          <thead>
            <tr>
              <th>{t('exports.id')}</th>
              <th>{t('reports.month')}</th>
              <th>{t('exports.status')}</th>
              <th>{t('exports.createdAt')}</th>
              <th>{t('exports.files')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{e.month}</td>
                <td title={e.error ?? undefined}>{t(`exports.status.${e.status}`)}</td>
                <td>{formatDate(e.createdAt)}</td>
                <td className="files">
                  {e.files.map((f) => (
                    <a key={f.name} href={f.url} download>
                      {f.format.toUpperCase()}
                      {f.name.includes('-items') ? '·' + t('field.id') : ''}
                    </a>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
