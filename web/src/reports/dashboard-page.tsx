import { useState } from 'react';
import { useLoad } from '../use-load';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { BarLineChart, BarList } from './charts';
import { gradeText } from './grade';
import { MonthPicker } from './month-picker';
import { reportsApi, type Dashboard } from './reports-api';
import { navigate } from '../nav/route';

export function DashboardPage({ month }: { month: string }) {
  const { t, tEnum, formatNumber } = useI18n();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useLoad(
    () => {
      setData(null);
      return reportsApi.dashboard(month);
    },
    setData,
    (e) => setError(errorText(t, e)),
    [month],
  );

  const district = data?.rows[0];
  const streets = data?.rows.slice(1) ?? [];
  const pct = (x: number | null | undefined) => (x == null ? '—' : `${formatNumber(x * 100)}%`);
  const labels = data?.trend.map((m) => m.month.slice(2)) ?? [];
  const districtTrend = data?.trend.map((m) => m.rows[0]!) ?? [];

  return (
    <section className="report-page dashboard" data-testid="dashboard">
      <div className="report-head">
        <h2>{t('dash.title')}</h2>
        <MonthPicker month={month} onChange={(m) => navigate('dashboard', m)} />
      </div>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p className="muted">{t('reports.loading')}</p>}
      {data && district && (
        <>
          <div className="kpis">
            <div className="kpi"><span>{t('dash.kpiScore')}</span><strong>{district.score ?? '—'}</strong><em>{gradeText(t, district.grade)}</em></div>
            <div className="kpi"><span>{t('dash.kpiNew')}</span><strong>{district.newCount}</strong><em>{formatNumber(district.areaFoundM2)} m²</em></div>
            <div className="kpi"><span>{t('dash.kpiRate')}</span><strong>{pct(district.handlingRate)}</strong><em>{district.handledOnTimeCount}/{district.dueCount}</em></div>
            <div className="kpi"><span>{t('dash.kpiClosed')}</span><strong>{formatNumber(district.ytdClosedOutM2, 0)} m²</strong><em>{pct(district.targetProgress)}</em></div>
          </div>
          <div className="panels">
            <div className="panel">
              <h3>{t('dash.scoreByStreet')}</h3>
              <BarList max={100} items={streets.map((r) => ({ label: r.name, value: r.score, note: r.score === null ? '—' : `${r.score} ${gradeText(t, r.grade)}` }))} />
            </div>
            <div className="panel">
              <h3>{t('dash.trend')}</h3>
              <BarLineChart labels={labels} bars={districtTrend.map((r) => r.newCount)} line={districtTrend.map((r) => r.score)} />
            </div>
            <div className="panel">
              <h3>{t('dash.closeOut')}</h3>
              <BarList
                max={1}
                items={data.rows.map((r) => ({
                  label: r.name,
                  value: r.targetProgress,
                  note: r.annualTargetM2 === null ? t('dash.noTarget') : `${formatNumber(r.ytdClosedOutM2, 0)}/${formatNumber(r.annualTargetM2, 0)} m²`,
                }))}
              />
            </div>
            <div className="panel">
              <h3>{t('dash.villas')}</h3>
              <BarList
                max={1}
                items={data.villas.map((v) => ({
                  label: tEnum('villaCategory', v.category),
                  value: v.total ? v.done / v.total : null,
                  note: t('dash.done', { done: v.done, total: v.total }),
                }))}
              />
            </div>
            <div className="panel">
              <h3>{t('dash.sorties')}</h3>
              <BarLineChart
                labels={labels}
                bars={districtTrend.map((r) => r.sorties)}
                line={districtTrend.map((r) => r.pilotShifts)}
                lineMax={Math.max(1, ...districtTrend.map((r) => r.pilotShifts), ...districtTrend.map((r) => r.sorties))}
              />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
