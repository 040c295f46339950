import { useState, type FormEvent } from 'react';
import type { StreetFeature } from '../api';
import { FLIGHT_PURPOSES, type FlightPurpose } from '../domain';
import { useI18n } from '../i18n/i18n-context';
import { isoToShanghaiLocal, shanghaiLocalToIso } from '../uploads/http';
import type { Flight, FlightInput } from './flights-api';

interface Props {
  streets: StreetFeature[];
  /** The sortie being edited, or null for a new one. */
  editing: Flight | null;
  onSubmit: (input: FlightInput) => Promise<void>;
  onCancel: () => void;
}

const DRONE_MODELS = ['DJI Mavic 3E', 'DJI Matrice 350 RTK', 'DJI Matrice 30T', 'DJI Phantom 4 RTK'];

export function FlightForm({ streets, editing, onSubmit, onCancel }: Props) {
  const { t, tEnum } = useI18n();
  const [droneModel, setDroneModel] = useState(editing?.droneModel ?? '');
  const [flownAt, setFlownAt] = useState(editing ? isoToShanghaiLocal(editing.flownAt) : '');
  const [purpose, setPurpose] = useState<FlightPurpose>(editing?.purpose ?? 'routine');
  const [streetCodes, setStreetCodes] = useState<string[]>(editing?.streetCodes ?? []);
  const [notes, setNotes] = useState(editing?.notes ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!droneModel.trim() || !flownAt || streetCodes.length === 0) {
      setProblem(t('flights.required'));
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      await onSubmit({ droneModel: droneModel.trim(), flownAt: shanghaiLocalToIso(flownAt), purpose, streetCodes, notes });
    } finally {
      setSaving(false);
    }
  }

  const toggle = (code: string) =>
    setStreetCodes((codes) => (codes.includes(code) ? codes.filter((c) => c !== code) : [...codes, code]));

  return (
    <form onSubmit={submit} aria-label={editing ? t('flights.editTitle', { id: editing.id }) : t('flights.newTitle')} noValidate>
      <h3>{editing ? t('flights.editTitle', { id: editing.id }) : t('flights.newTitle')}</h3>
      <div className="form-grid">
        <label>
          {t('flights.droneModel')}
          <input name="droneModel" list="drone-models" value={droneModel} onChange={(e) => setDroneModel(e.target.value)} />
          <datalist id="drone-models">
            {DRONE_MODELS.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label>
          {t('flights.flownAt')}
          <input name="flownAt" type="datetime-local" value={flownAt} onChange={(e) => setFlownAt(e.target.value)} />
        </label>
        <label>
          {t('flights.purpose')}
          <select name="purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as FlightPurpose)}>
            {FLIGHT_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {tEnum('flightPurpose', p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('flights.notes')}
          <textarea name="notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
      </div>
      <fieldset className="street-choices">
        <legend>{t('flights.streets')}</legend>
        {streets.map((s) => (
          <label key={s.properties.code}>
            <input type="checkbox" checked={streetCodes.includes(s.properties.code)} onChange={() => toggle(s.properties.code)} />
            {s.properties.name}
          </label>
        ))}
      </fieldset>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('flights.saving') : editing ? t('flights.saveChanges') : t('flights.create')}
        </button>
        {editing && (
          <button type="button" onClick={onCancel}>
            {t('flights.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
