// Forms a street squad fills in on a phone: the field-check result with photos, and a disposition.
import { useState, type FormEvent } from 'react';
import { CONTRACT_TRANSITIONS } from '../api-types';
import { DISMISS_REASONS, DISPOSITIONS } from '../domain';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { useDraft } from './draft';
import { triageApi, type Bbox, type CandidateSummary, type RegistryWorkItem } from './triage-api';

interface Done {
  onDone: (message: string) => void;
}

/** A form's save: busy while it runs, the error it ended with, and onDone with "saved" when it worked. */
function useSave(onDone: Done['onDone']) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (send: () => Promise<unknown>, onSent: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await send();
      onSent();
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
  const [draft, patch, clearDraft] = useDraft(`check.${candidate.id}`, () => ({
    result: 'confirmed' as 'confirmed' | 'dismissed', reason: DISMISS_REASONS[0] as string, note: '', takenAt: localNow(), lon: '', lat: '',
  }));
  const { result, reason, note, takenAt, lon, lat } = draft;
  const [files, setFiles] = useState<File[]>([]);
  const { busy, error, setError, save } = useSave(onDone);
  const locate = useLocate((position) => patch(position), setError);

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
    await save(() => triageApi.fieldCheck(candidate.id, form), clearDraft);
  };

  return (
    <form className="squad-form" onSubmit={(e) => void submit(e)} aria-label={t('squad.fieldCheckTitle', { id: candidate.id })}>
      <h3>{t('squad.fieldCheckTitle', { id: candidate.id })}</h3>
      <NavigateTo bbox={candidate.bbox} />
      <fieldset>
        <legend>{t('squad.result')}</legend>
        <label><input type="radio" name="result" value="confirmed" checked={result === 'confirmed'} onChange={() => patch({ result: 'confirmed' })} />{t('squad.resultConfirmed')}</label>
        <label><input type="radio" name="result" value="dismissed" checked={result === 'dismissed'} onChange={() => patch({ result: 'dismissed' })} />{t('squad.resultDismissed')}</label>
      </fieldset>
      {result === 'dismissed' && (
        <label>{t('squad.reason')}
          <select name="reason" value={reason} onChange={(e) => patch({ reason: e.target.value })}>
            {DISMISS_REASONS.map((r) => <option key={r} value={r}>{tEnum('dismissReason', r)}</option>)}
          </select>
        </label>
      )}
      <label>{t('triage.note')}<textarea name="note" value={note} onChange={(e) => patch({ note: e.target.value })} rows={2} /></label>
      <PhotoInput onFiles={setFiles} />
      <label>{t('squad.takenAt')}<input type="datetime-local" name="takenAt" value={takenAt} onChange={(e) => patch({ takenAt: e.target.value })} /></label>
      <div className="position-row">
        <span>{t('squad.position')}</span>
        <input name="lon" inputMode="decimal" value={lon} onChange={(e) => patch({ lon: e.target.value })} aria-label="lon" />
        <input name="lat" inputMode="decimal" value={lat} onChange={(e) => patch({ lat: e.target.value })} aria-label="lat" />
        <button type="button" onClick={locate}>{t('squad.usePosition')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? t('squad.submitting') : t('squad.submit')}</button>
    </form>
  );
}

export function DispositionForm({ item, today, onDone }: Done & { item: RegistryWorkItem; today: string }) {
  const { t, tEnum } = useI18n();
  const [draft, patch, clearDraft] = useDraft(`disposition.${item.id}`, () => ({
    status: 'demolished', date: today, area: String(item.floorAreaM2), note: '',
  }));
  const { status, date, area, note } = draft;
  const [files, setFiles] = useState<File[]>([]);
  // Once the disposition is recorded only the photos are left to send (after a failed photo upload).
  const [disposed, setDisposed] = useState(false);
  const { busy, error, save } = useSave(onDone);
  const allowed = DISPOSITIONS.filter((d) => CONTRACT_TRANSITIONS.RegistryStatus[item.status].includes(d));
  const withArea = status === 'demolished' || status === 'confiscated';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save(async () => {
      if (!disposed) {
        await triageApi.disposition(item.id, {
          status,
          date,
          ...(withArea && area.trim() ? { areaRemovedM2: Number(area) } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        });
        setDisposed(true);
        clearDraft();
      }
      if (files.length > 0) {
        const form = new FormData();
        form.set('takenAt', new Date().toISOString());
        for (const f of files) form.append('photos', f, f.name);
        await triageApi.registryPhotos(item.id, form);
      }
    }, clearDraft);
  };

  return (
    <form className="squad-form" onSubmit={(e) => void submit(e)} aria-label={t('squad.dispositionTitle', { caseNo: item.caseNo })}>
      <h3>{t('squad.dispositionTitle', { caseNo: item.caseNo })}</h3>
      {item.address && <p className="muted">{item.address}</p>}
      <NavigateTo bbox={item.bbox} />
      <label>{t('squad.disposition')}
        <select name="status" value={status} disabled={disposed} onChange={(e) => patch({ status: e.target.value })}>
          {allowed.map((d) => <option key={d} value={d}>{tEnum('disposition', d)}</option>)}
        </select>
      </label>
      <label>{t('squad.date')}<input type="date" name="date" value={date} max={today} disabled={disposed} onChange={(e) => patch({ date: e.target.value })} /></label>
      {withArea && (
        <label>{t('squad.areaRemoved')}<input name="areaRemovedM2" inputMode="decimal" value={area} disabled={disposed} onChange={(e) => patch({ area: e.target.value })} /></label>
      )}
      <label>{t('triage.note')}<textarea name="note" value={note} disabled={disposed} onChange={(e) => patch({ note: e.target.value })} rows={2} /></label>
      <PhotoInput onFiles={setFiles} />
      {disposed && error && <p className="notice">{t('squad.disposedPhotosLeft')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? t('squad.submitting') : t('squad.submit')}</button>
    </form>
  );
}

/** Photos straight from the phone's camera (or its gallery); picked files are not kept with the draft. */
function PhotoInput({ onFiles }: { onFiles: (files: File[]) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label>{t('squad.photos')}
        <input type="file" name="photos" accept="image/*" capture="environment" multiple
          onChange={(e) => onFiles([...(e.target.files ?? [])])} />
      </label>
      <p className="muted small">{t('squad.photosNotKept')}</p>
    </>
  );
}

/** The phone's position into the form, or the reason it could not be had. */
function useLocate(onPosition: (p: { lon: string; lat: string }) => void, onError: (message: string) => void) {
  const { t } = useI18n();
  return () => {
    if (!navigator.geolocation) return onError(t('squad.positionFailed', { message: 'geolocation' }));
    navigator.geolocation.getCurrentPosition(
      (p) => onPosition({ lon: p.coords.longitude.toFixed(6), lat: p.coords.latitude.toFixed(6) }),
      (e) => onError(t('squad.positionFailed', { message: e.message })),
    );
  };
}

/**
 * Getting there: a geo: link (a phone offers its map apps for it) and the coordinates (WGS84) to copy into
 * any other app. The spot is the middle of the task's box.
 */
export function NavigateTo({ bbox }: { bbox: Bbox }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const lat = ((bbox[1] + bbox[3]) / 2).toFixed(6);
  const lon = ((bbox[0] + bbox[2]) / 2).toFixed(6);
  const text = `${lat},${lon}`;
  const copy = () =>
    navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  return (
    <div className="navigate-row">
      <a className="navigate-link" href={`geo:${text}?q=${text}`}>{t('squad.navigate')}</a>
      <span className="coords" data-testid="coords">{text}</span>
      <button type="button" onClick={() => void copy()}>{copied ? t('squad.copied') : t('squad.copy')}</button>
    </div>
  );
}
