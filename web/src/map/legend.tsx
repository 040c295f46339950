import { CANDIDATE_STATUSES, REGISTRY_STATUSES } from '../domain';
import { useI18n } from '../i18n/i18n-context';
import { CANDIDATE_STATUS_COLORS, HOTSPOT_COLOR, REGISTRY_STATUS_COLORS, STREET_COLOR } from './layers';

interface Props {
  /** Where the street boundaries come from; null while unknown. */
  boundarySources: string[] | null;
  demoPartition: boolean;
}

export function Legend({ boundarySources, demoPartition }: Props) {
  const { t, tEnum } = useI18n();
  return (
    <section className="panel-section legend" aria-labelledby="legend-title">
      <h2 id="legend-title">{t('legend.title')}</h2>

      <h3>{t('dataset.registry')}</h3>
      <ul>
        {REGISTRY_STATUSES.map((status) => (
          <li key={status}>
            <span className="swatch" style={{ background: REGISTRY_STATUS_COLORS[status] }} aria-hidden="true" />
            {tEnum('registryStatus', status)}
          </li>
        ))}
      </ul>

      <h3>{t('dataset.candidates')}</h3>
      <ul>
        {CANDIDATE_STATUSES.map((status) => (
          <li key={status}>
            <span className="swatch swatch-outline" style={{ borderColor: CANDIDATE_STATUS_COLORS[status] }} aria-hidden="true" />
            {tEnum('candidateStatus', status)}
          </li>
        ))}
      </ul>

      <ul>
        <li>
          <span className="swatch swatch-dashed" style={{ borderColor: HOTSPOT_COLOR }} aria-hidden="true" />
          {t('dataset.hotspots')}
        </li>
        <li>
          <span className="swatch swatch-outline" style={{ borderColor: STREET_COLOR }} aria-hidden="true" />
          {t('dataset.streets')}
        </li>
      </ul>
      {demoPartition && (
        <p className="notice" role="note">
          {t('legend.demoPartition')}
        </p>
      )}
      {!demoPartition && boundarySources && boundarySources.length > 0 && (
        <p className="muted">{t('legend.boundarySource', { source: boundarySources.join(', ') })}</p>
      )}
    </section>
  );
}
