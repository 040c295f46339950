import type { Loaded } from '../use-load';
import type { ApiResponse } from '../api-types';
import { useI18n } from '../i18n/i18n-context';

export type TimelineDay = ApiResponse<'/api/imagery/timeline'>['days'][number];
export type TimelineState = Loaded<TimelineDay[]>;

interface Props {
  state: TimelineState;
  /** index of the chosen day in the timeline */
  index: number;
  shown: boolean;
  opacity: number;
  onPick: (index: number) => void;
  onShown: (shown: boolean) => void;
  onOpacity: (opacity: number) => void;
}

/**
 * The dates of ready imagery on a slider, oldest to newest, each with the share of the district it covers;
 * the chosen date's imagery is what the map shows, and its coverage is listed per street.
 */
export function ImageryTimeline({ state, index, shown, opacity, onPick, onShown, onOpacity }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className="panel-section imagery-timeline">
      <legend>{t('timeline.title')}</legend>
      {state.status === 'loading' && <p className="muted">{t('app.loading')}</p>}
      {state.status === 'error' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' && state.data.length === 0 && <p className="muted">{t('imagery.none')}</p>}
      {state.status === 'ready' && state.data[index] && (
        <Days days={state.data} index={index} shown={shown} opacity={opacity} onPick={onPick} onShown={onShown} onOpacity={onOpacity} />
      )}
    </fieldset>
  );
}

function Days({ days, index, shown, opacity, onPick, onShown, onOpacity }: Omit<Props, 'state'> & { days: TimelineDay[] }) {
  const { t, formatNumber } = useI18n();
  const dateText = (day: TimelineDay) => day.date ?? t('imagery.noDate');
  const day = days[index]!;
  return (
    <>
      <div className="timeline-days" aria-hidden="true">
        {days.map((d, i) => (
          <button
            key={d.date ?? 'undated'}
            type="button"
            tabIndex={-1}
            className={i === index ? 'timeline-day chosen' : 'timeline-day'}
            title={t('timeline.day', { date: dateText(d), percent: formatNumber(d.districtPercent) })}
            onClick={() => onPick(i)}
          >
            <span className="timeline-bar" style={{ height: `${Math.max(8, Math.min(100, d.districtPercent))}%` }} />
          </button>
        ))}
      </div>
      <input
        type="range"
        name="imagery-date"
        min={0}
        max={days.length - 1}
        step={1}
        value={index}
        disabled={days.length < 2}
        aria-label={t('timeline.date')}
        aria-valuetext={dateText(day)}
        onChange={(e) => onPick(Number(e.target.value))}
      />
      <p className="timeline-chosen">
        <strong data-testid="timeline-date">{dateText(day)}</strong>{' '}
        <span className="muted">{t('timeline.summary', { count: day.imagery.length, percent: formatNumber(day.districtPercent) })}</span>
      </p>
      <label className="layer-toggle">
        <input type="checkbox" name="imagery-shown" checked={shown} onChange={(e) => onShown(e.target.checked)} />
        {t('timeline.show')}
      </label>
      {shown && (
        <input
          type="range"
          name="imagery-opacity"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          aria-label={t('imagery.opacity')}
          title={t('imagery.opacity')}
          onChange={(e) => onOpacity(Number(e.target.value))}
        />
      )}
      {day.streets.length > 0 && (
        <table className="timeline-streets" aria-label={t('timeline.streets')}>
          <tbody>
            {day.streets.map((s) => (
              <tr key={s.code}>
                <th scope="row">{s.name}</th>
                <td>
                  <meter min={0} max={100} value={s.percent} />
                </td>
                <td className="num">{formatNumber(s.percent)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="timeline-files">
        <summary>{t('timeline.files')}</summary>
        <ul>
          {day.imagery.map((item) => (
            <li key={item.id}>#{item.id} {item.fileName}</li>
          ))}
        </ul>
      </details>
    </>
  );
}
