import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { coverageApi, type ExportFormat, type MissionForm, type ReflySuggestion } from './coverage-api';

const FORMATS: ExportFormat[] = ['kmz', 'kml', 'geojson'];
const MISSION_FIELDS: { name: keyof MissionForm; min: number; max: number; step: number }[] = [
  { name: 'altitude', min: 20, max: 500, step: 1 },
  { name: 'frontOverlap', min: 10, max: 95, step: 1 },
  { name: 'sideOverlap', min: 10, max: 95, step: 1 },
  { name: 'speed', min: 1, max: 15, step: 0.5 },
];

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Where pilots should fly next, ranked with the reason; chosen ones export as GeoJSON, KML or a DJI wayline KMZ. */
export function ReflyPanel({ onError }: { onError: (err: unknown) => void }) {
  const { t, tEnum, formatDate, formatNumber } = useI18n();
  const [list, setList] = useState<ReflySuggestion[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [mission, setMission] = useState<MissionForm>({ altitude: 100, frontOverlap: 80, sideOverlap: 70, speed: 10 });
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = useCallback(() => {
    coverageApi.refresh().then((r) => {
      setList(r.suggestions);
      setChosen((c) => new Set([...c].filter((id) => r.suggestions.some((s) => s.id === id && s.status === 'open'))));
    }, onError);
  }, [onError]);
  useEffect(refresh, [refresh]);

  function reason(s: ReflySuggestion): string {
    const p = { ...s.params, status: s.kind === 'rebuild_watch' ? tEnum('registryStatus', s.params.status) : '' };
    const never = s.params.days === null;
    return t(`refly.reason.${s.kind}${never ? '.never' : ''}` as MessageKey, p);
  }

  async function exportAs(format: ExportFormat) {
    setProblem(null);
    try {
      const ids = [...chosen].sort((a, b) => a - b);
      save(await coverageApi.exportFile(format, ids, mission), `refly-${new Date().toISOString().slice(0, 10)}.${format}`);
    } catch (err) {
      setProblem(errorText(t, err));
    }
  }

  const open = list?.filter((s) => s.status === 'open') ?? [];
  return (
    <section className="refly" aria-label={t('refly.title')}>
      <h3>
        {t('refly.title')}{' '}
        <button type="button" onClick={refresh}>
          {t('refly.refresh')}
        </button>
      </h3>
      {list === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('refly.none')}</p>
      ) : (
        <table className="data-table" aria-label={t('refly.tableTitle')}>
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label={t('refly.chooseAll')}
                  checked={open.length > 0 && chosen.size === open.length}
                  onChange={(e) => setChosen(new Set(e.target.checked ? open.map((s) => s.id) : []))}
                />
              </th>
              <th className="num">{t('refly.rank')}</th>
              <th>{t('refly.kind')}</th>
              <th>{t('refly.reason')}</th>
              <th>{t('flights.street')}</th>
              <th className="num">{t('refly.area')}</th>
              <th>{t('refly.status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-suggestion={s.id} className={s.status === 'done' ? 'muted' : undefined}>
                <td>
                  {s.status === 'open' && (
                    <input
                      type="checkbox"
                      aria-label={t('refly.choose', { id: s.id })}
                      checked={chosen.has(s.id)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(s.id);
                        else next.delete(s.id);
                        setChosen(next);
                      }}
                    />
                  )}
                </td>
                <td className="num">{s.rank ?? ''}</td>
                <td>{t(`refly.kind.${s.kind}`)}</td>
                <td>{reason(s)}</td>
                <td>{s.streetName ?? ''}</td>
                <td className="num">{formatNumber(s.areaM2, 0)}</td>
                <td className="refly-status">
                  {s.status === 'open' ? t('refly.open') : t('refly.done', { imageryId: s.doneImageryId ?? '?', at: s.doneAt ? formatDate(s.doneAt) : '' })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="refly-export" onSubmit={(e) => e.preventDefault()}>
        {MISSION_FIELDS.map((f) => (
          <label key={f.name}>
            {t(`refly.form.${f.name}`)}{' '}
            <input
              type="number"
              name={f.name}
              min={f.min}
              max={f.max}
              step={f.step}
              value={mission[f.name]}
              onChange={(e) => setMission({ ...mission, [f.name]: Number(e.target.value) })}
            />
          </label>
        ))}
        {FORMATS.map((format) => (
          <button key={format} type="button" disabled={chosen.size === 0} onClick={() => exportAs(format)}>
            {t(`refly.export.${format}`)}
          </button>
        ))}
      </form>
      {chosen.size === 0 && list !== null && list.length > 0 && <p className="muted">{t('refly.chooseFirst')}</p>}
      {problem && <p className="error" role="alert">{problem}</p>}
    </section>
  );
}
