import { useState } from 'react';
import { useLoad } from '../use-load';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { gradeText } from './grade';
import { MonthPicker } from './month-picker';
import { reportsApi, type DrillResult, type IndexRow } from './reports-api';
import { navigate } from '../nav/route';

type Cell = { key: MessageKey; value: (r: IndexRow) => number | null; measure?: string; pct?: boolean };
const COLUMNS: Cell[] = [
  { key: 'index.new', value: (r) => r.newCount, measure: 'newItems' },
  { key: 'index.proactive', value: (r) => r.proactiveShare, pct: true },
  { key: 'index.due', value: (r) => r.dueCount, measure: 'dueItems' },
  { key: 'index.onTime', value: (r) => r.handledOnTimeCount, measure: 'handledOnTime' },
  { key: 'index.handlingRate', value: (r) => r.handlingRate, pct: true },
  { key: 'index.decisionDays', value: (r) => r.medianDecisionDays, measure: 'decidedCandidates' },
  { key: 'index.dispositionDays', value: (r) => r.medianDispositionDays, measure: 'disposedItems' },
  { key: 'index.areaFound', value: (r) => r.areaFoundM2, measure: 'newItems' },
  { key: 'index.areaRemoved', value: (r) => r.areaRemovedM2, measure: 'removedItems' },
  { key: 'index.closedOut', value: (r) => r.closedOutM2, measure: 'closedOutItems' },
  { key: 'index.ytd', value: (r) => r.ytdClosedOutM2 },
  { key: 'index.target', value: (r) => r.annualTargetM2 },
  { key: 'index.progress', value: (r) => r.targetProgress, pct: true },
  { key: 'index.sorties', value: (r) => r.sorties, measure: 'flights' },
  { key: 'index.pilotShifts', value: (r) => r.pilotShifts, measure: 'flights' },
  { key: 'index.coverage', value: (r) => r.coverageShare, pct: true },
  { key: 'index.complaints', value: (r) => r.complaints.received },
  { key: 'index.complaintsTrue', value: (r) => r.complaints.true },
  { key: 'index.complaintsUntrue', value: (r) => r.complaints.untrue },
  { key: 'index.complaintsOnTime', value: (r) => r.complaints.completionRate, pct: true },
  { key: 'index.score', value: (r) => r.score },
];

interface Drill {
  row: IndexRow;
  cell: Cell;
  result: DrillResult | null;
}

export function IndexPage({ month }: { month: string }) {
  const { t, tEnum, formatNumber } = useI18n();
  const [rows, setRows] = useState<IndexRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);

  useLoad(
    () => {
      setRows(null);
      setDrill(null);
      return reportsApi.index(month);
    },
    (r) => setRows(r.rows),
    (e) => setError(errorText(t, e)),
    [month],
  );

  async function open(row: IndexRow, cell: Cell) {
    setDrill({ row, cell, result: null });
    try {
      const result = await reportsApi.drill(month, row.scope, cell.measure!);
      setDrill({ row, cell, result });
    } catch (e) {
      setError(errorText(t, e));
    }
  }

  const show = (c: Cell, r: IndexRow) => {
    const v = c.value(r);
    if (v === null) return '—';
    return c.pct ? `${formatNumber(v * 100)}%` : formatNumber(v);
  };

  return (
    <section className="report-page">
      <div className="report-head">
        <h2>{t('index.title')}</h2>
        <MonthPicker month={month} onChange={(m) => navigate('index', m)} />
      </div>
      {error && <p className="error">{error}</p>}
      {!rows && !error && <p className="muted">{t('reports.loading')}</p>}
      {rows && (
        <>
          <p className="muted">{t('index.drillHint')}</p>
          <div className="table-scroll">
            <table className="report-table" data-testid="index-table">
              <thead>
                <tr>
                  <th>{t('index.street')}</th>
                  {COLUMNS.map((c) => (
                    <th key={c.key}>{t(c.key)}</th>
                  ))}
                  <th>{t('index.grade')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.scope} className={r.scope === 'district' ? 'district-row' : undefined}>
                    <th>{r.name}</th>
                    {COLUMNS.map((c) => (
                      <td key={c.key}>
                        {c.measure ? (
                          <button type="button" className="link" onClick={() => void open(r, c)}>
                            {show(c, r)}
                          </button>
                        ) : (
                          show(c, r)
                        )}
                      </td>
                    ))}
                    <td>{gradeText(t, r.grade)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {drill && (
        <div className="drill" data-testid="drill">
          <h3>
            {t('index.drillTitle', { street: drill.row.name, measure: t(drill.cell.key), count: drill.result?.ids.length ?? '…' })}
            <button type="button" onClick={() => setDrill(null)}>
              {t('index.drillClose')}
            </button>
          </h3>
          {drill.result?.kind === 'registry' ? (
            <table className="report-table">
              <thead>
                <tr>
                  {(['field.caseNo', 'field.streetName', 'field.status', 'field.source', 'field.floorAreaM2', 'field.foundOn', 'field.closedOn'] as const).map((k) => (
                    <th key={k}>{t(k)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {drill.result.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.caseNo}</td>
                    <td>{i.streetName}</td>
                    <td>{tEnum('registryStatus', i.status)}</td>
                    <td>{tEnum('source', i.source)}</td>
                    <td>{formatNumber(i.floorAreaM2)}</td>
                    <td>{i.foundOn}</td>
                    <td>{i.closedOn ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            drill.result && <p>{t('index.drillIds', { ids: drill.result.ids.join(', ') || '—' })}</p>
          )}
        </div>
      )}
    </section>
  );
}
