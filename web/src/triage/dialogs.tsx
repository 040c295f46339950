// Small keyboard-driven dialogs of the triage screen: dismiss reason, known item, bulk, help.
import { useEffect, useState } from 'react';
import { useLoad } from '../use-load';
import { DISMISS_REASONS } from '../domain';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { TRIAGE_ACTIONS, TRIAGE_KEYS } from './keys';
import { triageApi, type Bbox, type DecisionStatus, type NearbyItem } from './triage-api';
import type { DismissReason } from './url-state';

/** Number keys 1–9 pick the n-th choice; Escape cancels. Listens while the dialog is open. */
function useChoiceKeys(count: number, onChoose: (index: number) => void, onCancel: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopImmediatePropagation();
        onCancel();
        return;
      }
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= count) {
        e.preventDefault();
        e.stopImmediatePropagation();
        onChoose(n - 1);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [count, onChoose, onCancel]);
}

interface DismissProps {
  onChoose: (reason: DismissReason) => void;
  onCancel: () => void;
}

export function DismissPicker({ onChoose, onCancel }: DismissProps) {
  const { t, tEnum } = useI18n();
  useChoiceKeys(DISMISS_REASONS.length, (i) => onChoose(DISMISS_REASONS[i]!), onCancel);
  return (
    <div className="triage-dialog" role="dialog" aria-modal="true" aria-label={t('triage.dismissTitle')}>
      <h3>{t('triage.dismissTitle')}</h3>
      <ol className="choice-list">
        {DISMISS_REASONS.map((r, i) => (
          <li key={r}>
            <button type="button" onClick={() => onChoose(r)} data-reason={r}>
              <kbd>{i + 1}</kbd> {tEnum('dismissReason', r)}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="link-button" onClick={onCancel}>{t('triage.cancel')}</button>
    </div>
  );
}

interface KnownProps {
  bbox: Bbox;
  onChoose: (registryItemId: number) => void;
  onCancel: () => void;
}

export function KnownPicker({ bbox, onChoose, onCancel }: KnownProps) {
  const { t, tEnum, formatNumber } = useI18n();
  const [items, setItems] = useState<NearbyItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useLoad(() => triageApi.nearbyRegistry(bbox), (fc) => setItems(fc.features), (e) => setError(errorText(t, e)), [bbox.join(',')]);
  useChoiceKeys(items?.length ?? 0, (i) => onChoose(items![i]!.id), onCancel);
  return (
    <div className="triage-dialog" role="dialog" aria-modal="true" aria-label={t('triage.knownTitle')}>
      <h3>{t('triage.knownTitle')}</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {!items && !error && <p role="status">{t('triage.knownLoading')}</p>}
      {items?.length === 0 && <p>{t('triage.knownEmpty')}</p>}
      <ol className="choice-list">
        {items?.map((f, i) => (
          <li key={f.id}>
            <button type="button" onClick={() => onChoose(f.id)}>
              <kbd>{i + 1}</kbd> {f.properties.caseNo} · {tEnum('registryStatus', f.properties.status)} ·{' '}
              {tEnum('buildingType', f.properties.buildingType)} · {t('triage.area', { area: formatNumber(f.properties.footprintM2) })}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="link-button" onClick={onCancel}>{t('triage.cancel')}</button>
    </div>
  );
}

const BULK_ACTIONS: { status: DecisionStatus; key: string; label: MessageKey }[] = [
  { status: 'confirmed', key: 'c', label: 'triage.action.confirm' },
  { status: 'field_check', key: 'f', label: 'triage.action.fieldCheck' },
  { status: 'dismissed', key: 'd', label: 'triage.action.dismiss' },
];

interface BulkProps {
  markedCount: number;
  filterCount: number;
  busy: boolean;
  onApply: (scope: 'marked' | 'filter', status: DecisionStatus, reason?: DismissReason) => void;
  onCancel: () => void;
}

/** Choose the scope and the action, then confirm against the count. */
export function BulkDialog({ markedCount, filterCount, busy, onApply, onCancel }: BulkProps) {
  const { t, tEnum } = useI18n();
  const [scope, setScope] = useState<'marked' | 'filter'>(markedCount > 0 ? 'marked' : 'filter');
  const [status, setStatus] = useState<DecisionStatus>('field_check');
  const [reason, setReason] = useState<DismissReason>('false_positive');
  const count = scope === 'marked' ? markedCount : filterCount;
  const actionLabel = t(BULK_ACTIONS.find((a) => a.status === status)!.label);
  return (
    <div className="triage-dialog" role="dialog" aria-modal="true" aria-label={t('triage.bulkTitle')}>
      <h3>{t('triage.bulkTitle')}</h3>
      <fieldset>
        <label>
          <input type="radio" name="scope" checked={scope === 'marked'} disabled={markedCount === 0} onChange={() => setScope('marked')} />
          {t('triage.bulkMarked', { count: markedCount })}
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'filter'} onChange={() => setScope('filter')} />
          {t('triage.bulkFilter', { count: filterCount })}
        </label>
      </fieldset>
      <fieldset>
        {BULK_ACTIONS.map((a) => (
          <label key={a.status}>
            <input type="radio" name="bulk-action" checked={status === a.status} onChange={() => setStatus(a.status)} />
            {t(a.label)}
          </label>
        ))}
        {status === 'dismissed' && (
          <select aria-label={t('triage.dismissTitle')} value={reason} onChange={(e) => setReason(e.target.value as DismissReason)}>
            {DISMISS_REASONS.map((r) => (
              <option key={r} value={r}>{tEnum('dismissReason', r)}</option>
            ))}
          </select>
        )}
      </fieldset>
      <p className="bulk-confirm" data-testid="bulk-confirm">{t('triage.bulkConfirm', { count, action: actionLabel })}</p>
      <div className="dialog-buttons">
        <button type="button" disabled={busy || count === 0} onClick={() => onApply(scope, status, status === 'dismissed' ? reason : undefined)}>
          {t('triage.bulkApply')}
        </button>
        <button type="button" className="link-button" onClick={onCancel}>{t('triage.cancel')}</button>
      </div>
    </div>
  );
}

const KEY_LABEL: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc' };

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const t = useI18n().t;
  return (
    <div className="triage-dialog triage-help" role="dialog" aria-modal="true" aria-label={t('triage.help')}>
      <h3>{t('triage.help')}</h3>
      <table>
        <tbody>
          {TRIAGE_ACTIONS.map((a) => (
            <tr key={a}>
              <td>{TRIAGE_KEYS[a].map((k) => <kbd key={k}>{KEY_LABEL[k] ?? (k === 'A' || k === 'B' ? `Shift+${k}` : k)}</kbd>)}{a === 'undo' && <kbd>Ctrl+Z</kbd>}</td>
              <td>{t(`triage.key.${a}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>{t('popup.close')}</button>
    </div>
  );
}
