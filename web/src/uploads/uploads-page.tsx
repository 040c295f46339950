import { useCallback, useEffect, useRef, useState } from 'react';
import { useLoad } from '../use-load';
import { ApiError, type User } from '../api';
import { UPLOAD_KINDS, type UploadKind } from '../domain';
import { errorText } from '../error-text';
import { flightsApi, type Flight } from '../flights/flights-api';
import { useI18n } from '../i18n/i18n-context';
import { shanghaiLocalToIso } from './http';
import { RecentUploads } from './recent-uploads';
import { UploadRow } from './upload-row';
import { UploadTask, type TaskState } from './upload-task';

interface Props {
  user: User;
  onSessionExpired: () => void;
}

/** Upload imagery files with live progress, then follow each one's ingest. */
export function UploadsPage({ user, onSessionExpired }: Props) {
  const { t, tEnum, formatDate } = useI18n();
  const [flights, setFlights] = useState<Flight[]>([]);
  const [flightId, setFlightId] = useState<string>('');
  const [capturedAt, setCapturedAt] = useState('');
  const [kind, setKind] = useState<UploadKind>('drone');
  const [states, setStates] = useState<TaskState[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const tasks = useRef(new Map<string, UploadTask>());

  useLoad(
    () => flightsApi.list(),
    (r) => setFlights(r.flights),
    (err) => (err instanceof ApiError && err.status === 401 ? onSessionExpired() : setProblem(errorText(t, err))),
    [onSessionExpired, t],
  );

  // Leaving the page while bytes are moving would lose the connection; the browser asks first.
  useEffect(() => {
    const busy = states.some((s) => s.phase === 'uploading' || s.phase === 'retrying' || s.phase === 'finishing');
    if (!busy) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [states]);

  // A finished upload shows up in the server's list of recent uploads: read it again then.
  const [finished, setFinished] = useState(0);
  const onChange = useCallback((s: TaskState) => {
    setStates((all) => all.map((x) => (x.key === s.key ? s : x)));
    if (s.phase === 'done') setFinished((n) => n + 1);
  }, []);

  function addFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    const meta = { kind, flightId: flightId ? Number(flightId) : null, capturedAt: capturedAt ? shanghaiLocalToIso(capturedAt) : null };
    const created = [...files].map((f) => new UploadTask(f, meta, onChange));
    for (const task of created) tasks.current.set(task.state.key, task);
    setStates((all) => [...created.map((task) => task.state), ...all]);
    for (const task of created) {
      task.start().catch((err: unknown) => onChange({ ...task.state, phase: 'error', error: String(err) }));
    }
  }

  return (
    <div className="uploads-page">
      <h2>{t('uploads.title')}</h2>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <section>
        <div className="form-grid">
          <label>
            {t('uploads.kind')}
            <select value={kind} onChange={(e) => setKind(e.target.value as UploadKind)}>
              {UPLOAD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {tEnum('uploadKind', k)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('uploads.flight')}
            <select name="flight" value={flightId} onChange={(e) => setFlightId(e.target.value)}>
              <option value="">{t('uploads.noFlight')}</option>
              {flights.map((f) => (
                <option key={f.id} value={f.id}>
                  {t('uploads.flightOption', { id: f.id, time: formatDate(f.flownAt), pilot: f.pilotName, model: f.droneModel })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('uploads.capturedAt')}
            <input name="capturedAt" type="datetime-local" value={capturedAt} onChange={(e) => setCapturedAt(e.target.value)} />
          </label>
          <label>
            {t('uploads.files')}
            <input
              name="files"
              type="file"
              multiple
              accept=".tif,.tiff,.mbtiles,.zip,image/tiff"
              onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
        </div>
        <p className="muted">{t('uploads.hint')}</p>
      </section>
      {states.length > 0 && (
        <section>
          <table className="data-table" aria-label={t('uploads.listTitle')}>
            <thead>
              <tr>
                <th>{t('uploads.file')}</th>
                <th>{t('uploads.progress')}</th>
                <th>{t('uploads.speed')}</th>
                <th>{t('uploads.remaining')}</th>
                <th>{t('uploads.state')}</th>
                <th>{t('uploads.ingest')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {states.map((s) => (
                <UploadRow key={s.key} state={s} task={tasks.current.get(s.key)!} />
              ))}
            </tbody>
          </table>
        </section>
      )}
      <RecentUploads user={user} refreshKey={finished} />
    </div>
  );
}
