import { useState } from 'react';
import { useLoad } from '../use-load';
import { useI18n } from '../i18n/i18n-context';
import { coverageApi, type StreetFreshness } from './coverage-api';

/** Per street: how many z15 cells, how many never flown or stale, and how old its imagery is. */
export function FreshnessTable({ onError }: { onError: (err: unknown) => void }) {
  const { t, formatDate } = useI18n();
  const [data, setData] = useState<StreetFreshness | null>(null);
  useLoad(() => coverageApi.streets(), setData, onError, [onError]);
  if (data === null) return <p className="muted">{t('app.loading')}</p>;
  const days = (d: number | null) => (d === null ? '—' : t('coverage.days', { days: Math.round(d) }));
  return (
    <table className="data-table" aria-label={t('coverage.tableTitle')}>
      <caption>{t('coverage.caption', { staleDays: data.staleDays })}</caption>
      <thead>
        <tr>
          <th>{t('flights.street')}</th>
          <th className="num">{t('coverage.cells')}</th>
          <th className="num">{t('coverage.neverFlown')}</th>
          <th className="num">{t('coverage.stale')}</th>
          <th>{t('coverage.newest')}</th>
          <th className="num">{t('coverage.medianDays')}</th>
          <th className="num">{t('coverage.maxDays')}</th>
          <th>{t('coverage.neverFlownCells')}</th>
        </tr>
      </thead>
      <tbody>
        {data.streets.map((s) => (
          <tr key={s.streetCode} data-street={s.streetCode}>
            <td>{s.streetName}</td>
            <td className="num">{s.cells}</td>
            <td className="num">{s.neverFlown}</td>
            <td className="num">{s.stale}</td>
            <td>{s.newestAt ? formatDate(s.newestAt) : t('coverage.never')}</td>
            <td className="num">{days(s.medianDaysSince)}</td>
            <td className="num">{days(s.maxDaysSince)}</td>
            <td className="cells">{s.neverFlownCells.map((c) => `15/${c}`).join(' ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
