// Dispatching a placed complaint to its street's squad, and closing one as 属实 or 不属实 with the reply.
import { useState, type FormEvent } from 'react';
import { CONTRACT_ENUMS } from '../api-types';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { complaintsApi, type CloseBody, type ComplaintDetail } from './complaints-api';

type Done = (message: string) => void;

export function DispatchForm({ detail, onDone }: { detail: ComplaintDetail; onDone: Done }) {
  const { t } = useI18n();
  const c = detail.complaint;
  const [deadline, setDeadline] = useState(c.deadline ?? '');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await complaintsApi.dispatch(c.id, deadline || null);
      onDone(t('complaints.dispatched', { street: c.streetName ?? '' }));
    } catch (err) {
      setError(errorText(t, err));
    }
  }
  return (
    <form className="complaint-form" onSubmit={(e) => void submit(e)}>
      <h3>{t('complaints.dispatchTitle', { street: c.streetName ?? '—' })}</h3>
      <label>{t('complaints.deadline')} <input type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} /></label>
      <button type="submit">{t('complaints.dispatch')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

export function CloseForm({ detail, onDone }: { detail: ComplaintDetail; onDone: Done }) {
  const { t, tEnum } = useI18n();
  const c = detail.complaint;
  const [verdict, setVerdict] = useState<'true' | 'untrue'>('true');
  const [violation, setViolation] = useState<'new' | 'existing'>(detail.registryItems.length ? 'existing' : 'new');
  const [itemId, setItemId] = useState(String(detail.registryItems[0]?.id ?? ''));
  const [area, setArea] = useState('');
  const [buildingType, setBuildingType] = useState<NonNullable<CloseBody['buildingType']>>('standalone');
  const [reason, setReason] = useState<NonNullable<CloseBody['reason']>>('no_violation');
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body: CloseBody =
      verdict === 'untrue' ? { verdict, reason, reply }
      : violation === 'existing' ? { verdict, violation, registryItemId: Number(itemId), reply }
      : { verdict, violation, areaM2: Number(area), buildingType, reply };
    try {
      const r = await complaintsApi.close(c.id, body);
      onDone(r.caseNo ? t('complaints.closedWithCase', { caseNo: r.caseNo }) : t('complaints.closed'));
    } catch (err) {
      setError(errorText(t, err));
    }
  }

  return (
    <form className="complaint-form" onSubmit={(e) => void submit(e)}>
      <h3>{t('complaints.closeTitle')}</h3>
      <fieldset>
        <legend>{t('complaints.verdict')}</legend>
        {(['true', 'untrue'] as const).map((v) => (
          <label key={v}><input type="radio" name="verdict" checked={verdict === v} onChange={() => setVerdict(v)} /> {tEnum('complaintStatus', v)}</label>
        ))}
      </fieldset>
      {verdict === 'true' && (
        <>
          <label>
            {t('complaints.violation')}{' '}
            <select value={violation} onChange={(e) => setViolation(e.target.value as 'new' | 'existing')}>
              <option value="new">{t('complaints.violation.new')}</option>
              <option value="existing">{t('complaints.violation.existing')}</option>
            </select>
          </label>
          {violation === 'existing' ? (
            <label>
              {t('complaints.registryItem')}{' '}
              <select value={itemId} onChange={(e) => setItemId(e.target.value)} required>
                <option value="">—</option>
                {detail.registryItems.map((r) => (
                  <option key={r.id} value={r.id}>{`${r.caseNo} · ${tEnum('registryStatus', r.status)} · ${Math.round(r.distanceM)} m`}</option>
                ))}
              </select>
            </label>
          ) : (
            <>
              <label>{t('complaints.area')} <input type="number" min={1} step="any" value={area} onChange={(e) => setArea(e.target.value)} required /></label>
              <label>
                {t('complaints.buildingType')}{' '}
                <select value={buildingType} onChange={(e) => setBuildingType(e.target.value as typeof buildingType)}>
                  {CONTRACT_ENUMS.BuildingType.map((b) => <option key={b} value={b}>{tEnum('buildingType', b)}</option>)}
                </select>
              </label>
            </>
          )}
        </>
      )}
      {verdict === 'untrue' && (
        <label>
          {t('complaints.reason')}{' '}
          <select value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
            {CONTRACT_ENUMS.ComplaintUntrueReason.map((r) => <option key={r} value={r}>{tEnum('complaintUntrueReason', r)}</option>)}
          </select>
        </label>
      )}
      <label className="complaint-reply">
        {t('complaints.reply')}
        <textarea value={reply} onChange={(e) => setReply(e.target.value)} rows={3} required />
      </label>
      <button type="submit">{t('complaints.close')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
