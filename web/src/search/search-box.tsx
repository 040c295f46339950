import { useEffect, useRef, useState } from 'react';
import './search.css';
import { errorText } from '../error-text';
import { useI18n, type I18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { showOnMap } from '../map/map-target';
import { isTypingTarget } from '../triage/keys';
import { navigate } from '../nav/route';
import { DATUMS, searchApi, type Datum, type SearchResult } from './search-api';

const DATUM_KEY = 'tuban.searchDatum';
const TYPING_PAUSE_MS = 300;

type Found = { q: string; datum: Datum; results: SearchResult[] } | { q: string; datum: Datum; error: string } | null;

function storedDatum(): Datum {
  const value = localStorage.getItem(DATUM_KEY);
  return DATUMS.includes(value as Datum) ? (value as Datum) : 'gcj02';
}

/**
 * The header's search: case numbers, candidate and registry numbers, streets, and coordinates pasted from a
 * phone map (read as GCJ-02 or WGS84, the chosen one first). Picking a result takes the map there.
 */
export function SearchBox() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [datum, setDatum] = useState<Datum>(storedDatum);
  const [found, setFound] = useState<Found>(null);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  const search = async (text: string, d: Datum): Promise<SearchResult[]> => {
    const ticket = ++asked.current;
    try {
      const results = await searchApi.search(text, d);
      if (ticket === asked.current) setFound({ q: text, datum: d, results });
      return results;
    } catch (error) {
      if (ticket === asked.current) setFound({ q: text, datum: d, error: errorText(t, error) });
      return [];
    }
  };

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      asked.current++;
      setFound(null);
      return;
    }
    const timer = setTimeout(() => void search(text, datum), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [q, datum]);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  // "/" opens the search from anywhere but a text field, as on many map sites
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      e.preventDefault();
      setOpen(true);
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, []);

  const pick = (r: SearchResult) => {
    setOpen(false);
    navigate('map');
    const bbox = r.bbox ? ([r.bbox[0]!, r.bbox[1]!, r.bbox[2]!, r.bbox[3]!] as const) : null;
    showOnMap({ lon: r.lon, lat: r.lat, bbox, label: resultTitle(t, r) });
  };

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    const results = found && found.q === text && found.datum === datum && 'results' in found ? found.results : await search(text, datum);
    if (results[0]) pick(results[0]);
  };

  const current = found && found.q === q.trim() ? found : null;
  return (
    <div ref={box} className="search-box" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        className="search-toggle"
        aria-expanded={open}
        aria-controls="search-panel"
        aria-label={t('search.label')}
        title={`${t('search.label')} (/)`}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M10 10l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="search-toggle-text">{t('search.label')}</span>
      </button>
      {open && (
        <div id="search-panel" className="search-panel">
          <form role="search" onSubmit={(e) => void onSubmit(e)}>
            <input
              ref={input}
              type="search"
              name="q"
              value={q}
              placeholder={t('search.placeholder')}
              aria-label={t('search.label')}
              autoComplete="off"
              maxLength={100}
              onChange={(e) => setQ(e.target.value)}
            />
          </form>
          {q.trim() && (
            <div className="search-results" aria-label={t('search.results')} role="region">
              {!current && <p className="muted">{t('search.searching')}</p>}
              {current && 'error' in current && <p className="error" role="alert">{current.error}</p>}
              {current && 'results' in current && (
                <ResultList
                  found={current}
                  datum={datum}
                  onDatum={(d) => {
                    localStorage.setItem(DATUM_KEY, d);
                    setDatum(d);
                  }}
                  onPick={pick}
                />
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function ResultList({ found, datum, onDatum, onPick }: {
  found: { q: string; results: SearchResult[] };
  datum: Datum;
  onDatum: (d: Datum) => void;
  onPick: (r: SearchResult) => void;
}) {
  const { t, tEnum } = useI18n();
  if (found.results.length === 0) return <p className="muted">{t('search.none', { q: found.q })}</p>;
  const detail = (r: SearchResult): string => {
    const parts: string[] = [];
    if (r.datum) parts.push(t('search.coordinateAs', { datum: t(`datum.${r.datum}`) }));
    parts.push(r.kind === 'street' ? t('search.kind.street') : r.streetName ?? t('search.outsideDistrict'));
    if (r.status) parts.push(r.kind === 'candidate' ? tEnum('candidateStatus', r.status) : tEnum('registryStatus', r.status));
    return parts.join(' · ');
  };
  return (
    <>
      {found.results.some((r) => r.kind === 'coordinate') && <DatumChoice datum={datum} onChange={onDatum} />}
      <ul>
        {found.results.map((r) => (
          <li key={`${r.kind}-${r.id}-${r.datum ?? ''}`}>
            <button type="button" className="search-result" data-kind={r.kind} onClick={() => onPick(r)}>
              <strong>{resultTitle(t, r)}</strong>
              <span className="muted">{detail(r)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/** What a result is called, in the list and on the map's marker. */
function resultTitle(t: I18n['t'], r: SearchResult): string {
  return r.kind === 'street' ? r.label : `${t(`search.kind.${r.kind}` as MessageKey, { id: r.id })} ${r.label}`;
}

/** Which datum a pasted coordinate is read in first (and taken on Enter); both readings are listed. */
function DatumChoice({ datum, onChange }: { datum: Datum; onChange: (d: Datum) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="search-datum">
      <legend>{t('search.datum')}</legend>
      {DATUMS.map((d) => (
        <label key={d}>
          <input type="radio" name="datum" value={d} checked={datum === d} onChange={() => onChange(d)} />
          {t(`datum.${d}`)}
        </label>
      ))}
    </fieldset>
  );
}
