import { ApiError } from './api';
import type { I18n } from './i18n/i18n-context';
import { isMessageKey, type Params } from './i18n/translate';

/**
 * A coded message from the server (an error, an import note, an ingest failure) in the UI's language: the
 * `err.<code>` entry of the message table with the server's values, or `fallback` for a code it does not know.
 */
export function codedText(t: I18n['t'], code: string | null | undefined, params: Params | null | undefined, fallback: string): string {
  const key = `err.${code ?? ''}`;
  if (!isMessageKey(key)) return fallback;
  // a request field the server names (schema errors) by its label where the UI has one
  const field = typeof params?.field === 'string' ? `field.${params.field}` : '';
  return t(key, isMessageKey(field) ? { ...params, field: t(field) } : params ?? {});
}

/** Puts a failed call into words for the user, preferring our own translation for known cases. */
export function errorText(t: I18n['t'], error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    const fallback =
      error.status === 401 ? t('error.unauthorized')
      : error.status === 403 ? t('error.forbidden')
      : t('error.server', { status: error.status, message: error.message });
    return codedText(t, error.code, error.params, fallback);
  }
  return t('error.server', { status: '?', message: error instanceof Error ? error.message : String(error) });
}
