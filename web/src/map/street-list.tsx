import type { Loaded } from '../use-load';
import type { StreetFeature } from '../api';
import { useI18n } from '../i18n/i18n-context';

export type StreetsState = Loaded<StreetFeature[]>;

interface Props {
  state: StreetsState;
  onZoom: (street: StreetFeature) => void;
  onRetry: () => void;
}

export function StreetList({ state, onZoom, onRetry }: Props) {
  const { t, tEnum, formatNumber } = useI18n();
  return (
    <section className="panel-section street-list" aria-labelledby="streets-title" aria-busy={state.status === 'loading'}>
      <h2 id="streets-title">{t('streets.title')}</h2>
      {state.status === 'loading' && <p className="muted">{t('streets.loading')}</p>}
      {state.status === 'error' && (
        <div role="alert" className="error">
          <p>{state.message}</p>
          <button type="button" onClick={onRetry}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {state.status === 'ready' && state.data.length === 0 && <p className="muted">{t('streets.empty')}</p>}
      {state.status === 'ready' && state.data.length > 0 && (
        <ul>
          {state.data.map((street) => {
            const p = street.properties;
            return (
              <li key={p.code}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onZoom(street)}
                  disabled={!street.geometry}
                  title={t('streets.zoomTo', { name: p.name })}
                >
                  {p.name}
                </button>
                <span className="muted">
                  {' '}
                  {tEnum('streetKind', p.kind)}
                  {typeof p.areaM2 === 'number' && ` · ${formatNumber(p.areaM2 / 1e6, 2)} km²`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
