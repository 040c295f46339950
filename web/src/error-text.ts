import { ApiError } from './api';
import type { I18n } from './i18n/i18n-context';

/** Puts a failed call into words for the user, preferring our own translation for known cases. */
export function errorText(t: I18n['t'], error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (error.status === 401) return t('error.unauthorized');
    if (error.status === 403) return t('error.forbidden');
    return t('error.server', { status: error.status, message: error.message });
  }
  return t('error.server', { status: '?', message: error instanceof Error ? error.message : String(error) });
}
