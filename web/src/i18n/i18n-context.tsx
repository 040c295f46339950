import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { EnumGroup } from '../domain';
import type { MessageKey } from './zh-CN';
import {
  DEFAULT_LANG,
  MESSAGES,
  formatDate,
  formatNumber,
  isLang,
  translate,
  translateEnum,
  type Lang,
  type Params,
} from './translate';

const STORAGE_KEY = 'tuban.lang';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  tEnum: (group: EnumGroup, value: unknown) => string;
  formatDate: (value: string) => string;
  formatNumber: (value: number, maxFractionDigits?: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : DEFAULT_LANG;
  } catch {
    // Storage can be blocked (privacy mode); the default language still works.
    return DEFAULT_LANG;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisting is acceptable; the switch still applies to this page.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = MESSAGES[lang]['app.name'];
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[lang];
    return {
      lang,
      setLang,
      t: (key, params) => translate(messages, key, params),
      tEnum: (group, v) => translateEnum(messages, group, v),
      formatDate: (v) => formatDate(lang, v),
      formatNumber: (v, digits) => formatNumber(lang, v, digits),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** The common case: just the translate function. */
export function useT(): I18n['t'] {
  return useI18n().t;
}
