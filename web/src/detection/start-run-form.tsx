import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { ImageryItem } from './runs-api';

interface Props {
  imagery: ImageryItem[] | null;
  busy: boolean;
  onStart: (afterImageryId: number) => void;
}

/** Office and admin start a run on one ready imagery item, listed newest capture first. */
export function StartRunForm({ imagery, busy, onStart }: Props) {
  const { t, tEnum, formatDate } = useI18n();
  const [picked, setPicked] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = Number(picked || imagery?.[0]?.id);
    if (Number.isInteger(id) && id > 0) onStart(id);
  };
  if (imagery === null) return <p className="muted">{t('app.loading')}</p>;
  if (imagery.length === 0) return <p className="muted">{t('runs.noImagery')}</p>;
  return (
    <form className="start-run" onSubmit={submit}>
      <label>
        {t('runs.afterImagery')}{' '}
        <select name="afterImageryId" value={picked || String(imagery[0]!.id)} onChange={(e) => setPicked(e.target.value)}>
          {imagery.map((i) => (
            <option key={i.id} value={i.id}>
              {i.capturedAt ? formatDate(i.capturedAt) : t('runs.noCaptureDate')} · {i.fileName} · {tEnum('source', i.kind === 'satellite' ? 'satellite' : 'drone')} · #{i.id}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" disabled={busy}>
        {busy ? t('runs.starting') : t('runs.start')}
      </button>
      <p className="muted small">{t('runs.startHint')}</p>
    </form>
  );
}
