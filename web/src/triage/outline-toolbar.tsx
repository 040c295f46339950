import { useI18n } from '../i18n/i18n-context';
import type { EditMode } from './outline-editor';

interface Props {
  /** what is being edited, or null */
  mode: EditMode | null;
  vertices: number;
  /** a candidate is selected, so its outline can be corrected */
  canCorrect: boolean;
  busy: boolean;
  onStart: (mode: EditMode) => void;
  onSave: (status?: 'confirmed' | 'known') => void;
  onCancel: () => void;
}

/** The office's outline tools over the triage map: correct the selected outline, or draw a missed building. */
export function OutlineToolbar({ mode, vertices, canCorrect, busy, onStart, onSave, onCancel }: Props) {
  const { t, tEnum } = useI18n();
  const complete = vertices >= 3;
  return (
    <div className="outline-toolbar" role="toolbar" aria-label={t('triage.outlineTools')}>
      {mode === null && (
        <>
          <button type="button" disabled={!canCorrect || busy} onClick={() => onStart('outline')}>{t('triage.correctOutline')}</button>
          <button type="button" disabled={busy} onClick={() => onStart('draw')}>{t('triage.drawMissed')}</button>
        </>
      )}
      {mode !== null && (
        <>
          <span className="muted small" role="status">
            {t(mode === 'outline' ? 'triage.outlineHint' : 'triage.drawHint', { count: vertices })}
          </span>
          {mode === 'outline' ? (
            <button type="button" disabled={!complete || busy} onClick={() => onSave()}>{t('triage.saveOutline')}</button>
          ) : (
            <>
              <button type="button" disabled={!complete || busy} onClick={() => onSave('confirmed')}>
                {t('triage.saveDrawnAs', { status: tEnum('candidateStatus', 'confirmed') })}
              </button>
              <button type="button" disabled={!complete || busy} onClick={() => onSave('known')}>
                {t('triage.saveDrawnAs', { status: tEnum('candidateStatus', 'known') })}
              </button>
            </>
          )}
          <button type="button" disabled={busy} onClick={onCancel}>{t('triage.cancelEdit')}</button>
        </>
      )}
    </div>
  );
}
