import { useT } from '../i18n/i18n-context';

export function MonthPicker({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  const t = useT();
  return (
    <label className="month-picker">
      {t('reports.month')}{' '}
      <input type="month" value={month} onChange={(e) => e.target.value && onChange(e.target.value)} />
    </label>
  );
}
