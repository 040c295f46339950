// Forms a street squad fills in on a phone: the field-check result with photos, and a disposition.
import { useState, type FormEvent } from 'react';
import { CONTRACT_TRANSITIONS } from '../api-types';
import { DISMISS_REASONS, DISPOSITIONS } from '../domain';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { triageApi, type CandidateSummary, type RegistryWorkItem } from './triage-api';

interface Done {
  onDone: (message: string) => void;
}

/** A form's save: busy while it runs, the error it ended with, and onDone with "saved" when it worked. */
function useSave(onDone: Done['onDone']) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (send: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await send();
      onDone(t('squad.saved'));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, save };
}

/** A datetime-local value for now in the browser's clock. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

export function FieldCheckForm({ candidate, onDone }: Done & { candidate: CandidateSummary }) {
  const { t, tEnum } = useI18n();
  const [result, setResult] = useState<'confirmed' | 'dismissed'>('confirmed');
  const [reason, setReason] = useState<string>(DISMISS_REASONS[0]);
  const [note, setNote] = useState('');
  const [takenAt, setTakenAt] = useState(localNow);
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const { busy, error, setError, save } = useSave(onDone);

  const locate = () => {
    if (!navigator.geolocation) return setError(t('squad.positionFailed', { message: 'geolocation' }));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLon(p.coords.longitude.toFixed(6));
        setLat(p.coords.latitude.toFixed(6));
      },
      (e) => setError(t('squad.positionFailed', { message: e.message })),
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const form = new FormData();
    form.set('result', result);
    if (result === 'dismissed') form.set('reason', reason);
    form.set('note', note);
    if (takenAt) form.set('takenAt', new Date(takenAt).toISOString());
    if (lon && lat) {
      form.set('lon', lon);
      form.set('lat', lat);
    }
    for (const f of files) form.append('photos', f, f.name);
    await save(() => triageApi.fieldCheck(candidate.id, form));
  };

  return (
    <form className="squad-form" onSubmit={(e) => void submit(e)} aria-label={t('squad.fieldCheckTitle', { id: candidate.id })}>
      <h3>{t('squad.fieldCheckTitle', { id: candidate.id })}</h3>
      <fieldset>
        <legend>{t('squad.result')}</legend>
        <label><input type="radio" name="result" value="confirmed" checked={result === 'confirmed'} onChange={() => setResult('confirmed')} />{t('squad.resultConfirmed')}</label>
        <label><input type="radio" name="result" value="dismissed" checked={result === 'dismissed'} onChange={() => setResult('dismissed')} />{t('squad.resultDismissed')}</label>
      </fieldset>
      {result === 'dismissed' && (
        <label>{t('squad.reason')}
          <select name="reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            {DISMISS_REASONS.map((r) => <option key={r} value={r}>{tEnum('dismissReason', r)}</option>)}
          </select>
        </label>
      )}
      <label>{t('triage.note')}<textarea name="note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} /></label>
      <label>{t('squad.photos')}
        <input type="file" name="photos" accept="image/*" capture="environment" multiple
          onChange={(e) => setFiles([...(e.target.files ?? [])])} />
      </label>
      <label>{t('squad.takenAt')}<input type="datetime-local" name="takenAt" value={takenAt} onChange={(e) => setTakenAt(e.target.value)} /></label>
      <div className="position-row">
        <span>{t('squad.position')}</span>
        <input name="lon" inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} aria-label="lon" />
        <input name="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} aria-label="lat" />
        <button type="button" onClick={locate}>{t('squad.usePosition')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? t('squad.submitting') : t('squad.submit')}</button>
    </form>
  );
}

export function DispositionForm({ item, today, onDone }: Done & { item: RegistryWorkItem; today: string }) {
  const { t, tEnum } = useI18n();
  const [status, setStatus] = useState<string>('demolished');
  const [date, setDate] = useState(today);
  const [area, setArea] = useState(String(item.floorAreaM2));
  const [note, setNote] = useState('');
  const { busy, error, save } = useSave(onDone);
  const allowed = DISPOSITIONS.filter((d) => CONTRACT_TRANSITIONS.RegistryStatus[item.status].includes(d));
  const withArea = status === 'demolished' || status === 'confiscated';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save(() =>
      triageApi.disposition(item.id, {
        status,
        date,
        ...(withArea && area.trim() ? { areaRemovedM2: Number(area) } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
  };

  return (
    <form className="squad-form" onSubmit={(e) => void submit(e)} aria-label={t('squad.dispositionTitle', { caseNo: item.caseNo })}>
      <h3>{t('squad.dispositionTitle', { caseNo: item.caseNo })}</h3>
      <label>{t('squad.disposition')}
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {allowed.map((d) => <option key={d} value={d}>{tEnum('disposition', d)}</option>)}
        </select>
      </label>
      <label>{t('squad.date')}<input type="date" name="date" value={date} max={today} onChange={(e) => setDate(e.target.value)} /></label>
      {withArea && (
        <label>{t('squad.areaRemoved')}<input name="areaRemovedM2" inputMode="decimal" value={area} onChange={(e) => setArea(e.target.value)} /></label>
      )}
      <label>{t('triage.note')}<textarea name="note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? t('squad.submitting') : t('squad.submit')}</button>
    </form>
  );
}
