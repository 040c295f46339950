import type { I18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';

const GRADES = ['优秀', '良好', '合格', '不合格'];

/** The grade comes from the server's weights file in Chinese; shown translated when the UI knows it. */
export function gradeText(t: I18n['t'], grade: string | null): string {
  if (grade === null) return '—';
  return GRADES.includes(grade) ? t(`grade.${grade}` as MessageKey) : grade;
}
