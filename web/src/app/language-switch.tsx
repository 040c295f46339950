import { useI18n } from '../i18n/i18n-context';
import { LANGS, isLang } from '../i18n/translate';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <select
      className="language-switch"
      aria-label={t('lang.switch')}
      value={lang}
      onChange={(e) => {
        if (isLang(e.target.value)) setLang(e.target.value);
      }}
    >
      {LANGS.map((l) => (
        <option key={l} value={l} lang={l}>
          {t(`lang.${l}`)}
        </option>
      ))}
    </select>
  );
}
