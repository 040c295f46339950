import type { User } from '../api';
import type { Dataset } from '../domain';
import { EvidenceLink, mayDownloadEvidence } from '../triage/evidence-link';
import { useI18n } from '../i18n/i18n-context';
import { featureRows } from './feature-fields';
import type { MapSelection } from './map-overlay';

const TITLE_PROPERTY: Record<Dataset, string> = {
  registry: 'caseNo',
  candidates: 'id',
  hotspots: 'name',
  streets: 'name',
};

export function FeaturePopup({ selection, onClose, role }: { selection: MapSelection; onClose: () => void; role: User['role'] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rows = featureRows(selection.dataset, selection.properties, i18n);
  const title = selection.properties[TITLE_PROPERTY[selection.dataset]] ?? selection.id;
  return (
    <section className="feature-popup" aria-label={t(`dataset.${selection.dataset}`)}>
      <header>
        <span className="feature-popup-kind">{t(`dataset.${selection.dataset}`)}</span>
        <strong>{String(title)}</strong>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('popup.close')} title={t('popup.close')}>
          ×
        </button>
      </header>
      <dl>
        {rows.map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      {selection.dataset === 'candidates' && (
        <a className="popup-action" href={`/triage?status=all&sel=${String(selection.properties.id ?? selection.id)}`}>
          {t('popup.triage')}
        </a>
      )}
      {selection.dataset === 'registry' && mayDownloadEvidence(role) && (
        <EvidenceLink kind="registry" id={Number(selection.id)} className="popup-action" />
      )}
    </section>
  );
}
