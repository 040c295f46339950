import type { Loaded } from '../use-load';
import type { ImageryItem } from '../detection/runs-api';
import { useI18n } from '../i18n/i18n-context';

export type ImageryListState = Loaded<ImageryItem[]>;

interface Props {
  state: ImageryListState;
  /** shown item id → opacity */
  shown: ReadonlyMap<number, number>;
  onToggle: (id: number, on: boolean) => void;
  onOpacity: (id: number, opacity: number) => void;
}

/** Ready imagery, newest capture first (drawn on top), each switchable with its own opacity. */
export function ImageryPanel({ state, shown, onToggle, onOpacity }: Props) {
  const { t, formatDate } = useI18n();
  return (
    <fieldset className="panel-section imagery-panel">
      <legend>{t('imagery.title')}</legend>
      {state.status === 'loading' && <p className="muted">{t('app.loading')}</p>}
      {state.status === 'error' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' && state.data.length === 0 && <p className="muted">{t('imagery.none')}</p>}
      {state.status === 'ready' && state.data.length > 0 && (
        <ul>
          {state.data.map((item) => {
            const name = `${item.capturedAt ? formatDate(item.capturedAt).slice(0, 10) : t('imagery.noDate')} ${item.fileName}`;
            const opacity = shown.get(item.id);
            return (
              <li key={item.id} className="imagery-item" data-imagery-id={item.id}>
                <label className="layer-toggle" title={name}>
                  <input
                    type="checkbox"
                    name={`imagery-${item.id}`}
                    checked={opacity !== undefined}
                    aria-label={t('imagery.show', { name })}
                    onChange={(e) => onToggle(item.id, e.target.checked)}
                  />
                  <span className="imagery-name">{name}</span>
                </label>
                {opacity !== undefined && (
                  <input
                    type="range"
                    min={0}
                    max={1}
                    step={0.05}
                    value={opacity}
                    aria-label={t('imagery.opacityOf', { name })}
                    title={t('imagery.opacity')}
                    onChange={(e) => onOpacity(item.id, Number(e.target.value))}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
