import { DATASETS, type Dataset } from '../domain';
import { useT } from '../i18n/i18n-context';
import { CANDIDATE_STATUS_COLORS, HOTSPOT_COLOR, REGISTRY_STATUS_COLORS, STREET_COLOR } from './layers';
import { FRESHNESS_BANDS, NEVER_FLOWN_COLOR } from './freshness-layer';
import type { Visibility } from './map-overlay';

/** One colour that stands for the whole dataset next to its switch. */
const DATASET_SWATCH: Record<Dataset, string> = {
  streets: STREET_COLOR,
  hotspots: HOTSPOT_COLOR,
  registry: REGISTRY_STATUS_COLORS.open,
  candidates: CANDIDATE_STATUS_COLORS.new,
};

interface Props {
  visible: Visibility;
  onToggle: (dataset: Dataset, visible: boolean) => void;
  /** the imagery-freshness cells, off by default */
  freshness: boolean;
  onFreshness: (on: boolean) => void;
}

export function LayerPanel({ visible, onToggle, freshness, onFreshness }: Props) {
  const t = useT();
  // Listed top to bottom as drawn on the map.
  const datasets = [...DATASETS].reverse();
  return (
    <fieldset className="panel-section layer-panel">
      <legend>{t('panel.title')}</legend>
      {datasets.map((dataset) => (
        <label key={dataset} className="layer-toggle">
          <input
            type="checkbox"
            name={`layer-${dataset}`}
            checked={visible[dataset]}
            onChange={(e) => onToggle(dataset, e.target.checked)}
          />
          <span className="swatch" style={{ background: DATASET_SWATCH[dataset] }} aria-hidden="true" />
          {t(`dataset.${dataset}`)}
        </label>
      ))}
      <label className="layer-toggle">
        <input type="checkbox" name="layer-freshness" checked={freshness} onChange={(e) => onFreshness(e.target.checked)} />
        <span className="swatch" style={{ background: `linear-gradient(90deg, ${FRESHNESS_BANDS.map((b) => b.color).join(', ')}, ${NEVER_FLOWN_COLOR})` }} aria-hidden="true" />
        {t('coverage.layer')}
      </label>
    </fieldset>
  );
}
