import { useEffect, useRef, useState } from 'react';
import './search.css';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { showOnMap } from '../map/map-target';
import { navigate } from '../nav/route';
import { DATUMS, searchApi, type Datum, type SearchResult } from './search-api';

const DATUM_KEY = 'tuban.searchDatum';
const TYPING_PAUSE_MS = 300;

type Found = { q: string; results: SearchResult[] } | { q: string; error: string } | null;

function storedDatum(): Datum {
  const value = localStorage.getItem(DATUM_KEY);
  return DATUMS.includes(value as Datum) ? (value as Datum) : 'gcj02';
}

/**
 * The header's search: case numbers, candidate and registry numbers, streets, and coordinates pasted from a
 * phone map (read as GCJ-02 or WGS84, the chosen one first). Picking a result takes the map there.
 */
export function SearchBox() {
  const { t, tEnum } = useI18n();
  const [q, setQ] = useState('');
  const [datum, setDatum] = useState<Datum>(storedDatum);
  const [found, setFound] = useState<Found>(null);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);
  const box = useRef<HTMLFormElement>(null);

  const search = async (text: string, d: Datum): Promise<SearchResult[]> => {
    const ticket = ++asked.current;
    try {
      const results = await searchApi.search(text, d);
      if (ticket === asked.current) setFound({ q: text, results });
      return results;
    } catch (error) {
      if (ticket === asked.current) setFound({ q: text, error: errorText(t, error) });
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
    showOnMap({ lon: r.lon, lat: r.lat, bbox, label: resultTitle(r) });
  };

  const resultTitle = (r: SearchResult) => {
    const kind = t(`search.kind.${r.kind}` as MessageKey, { id: r.id });
    return r.kind === 'street' ? r.label : `${kind} ${r.label}`;
  };

  const detail = (r: SearchResult): string => {
    const parts: string[] = [];
    if (r.datum) parts.push(t('search.coordinateAs', { datum: t(`datum.${r.datum}`) }));
    if (r.kind !== 'street') parts.push(r.streetName ?? t('search.outsideDistrict'));
    if (r.status) parts.push(r.kind === 'candidate' ? tEnum('candidateStatus', r.status) : tEnum('registryStatus', r.status));
    return parts.join(' · ');
  };

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    setOpen(true);
    const results = found && found.q === text && 'results' in found ? found.results : await search(text, datum);
    if (results[0]) pick(results[0]);
  };

  const current = found && found.q === q.trim() ? found : null;
  return (
    <form ref={box} role="search" className="search-box" onSubmit={(e) => void onSubmit(e)} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <input
        type="search"
        name="q"
        value={q}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        autoComplete="off"
        maxLength={100}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
      />
      <select
        name="datum"
        className="search-datum"
        aria-label={t('search.datum')}
        title={`${t('search.datum')}: ${t(`datum.${datum}`)}`}
        value={datum}
        onChange={(e) => {
          const d = e.target.value as Datum;
          localStorage.setItem(DATUM_KEY, d);
          setDatum(d);
        }}
      >
        {DATUMS.map((d) => (
          <option key={d} value={d} title={t(`datum.${d}`)}>
            {d === 'gcj02' ? 'GCJ-02' : 'WGS84'}
          </option>
        ))}
      </select>
      {open && q.trim() && (
        <div className="search-results" aria-label={t('search.results')} role="region">
          {!current && <p className="muted">{t('search.searching')}</p>}
          {current && 'error' in current && <p className="error" role="alert">{current.error}</p>}
          {current && 'results' in current && current.results.length === 0 && <p className="muted">{t('search.none', { q: current.q })}</p>}
          {current && 'results' in current && current.results.length > 0 && (
            <ul>
              {current.results.map((r) => (
                <li key={`${r.kind}-${r.id}-${r.datum ?? ''}`}>
                  <button type="button" className="search-result" data-kind={r.kind} onClick={() => pick(r)}>
                    <strong>{resultTitle(r)}</strong>
                    <span className="muted">{detail(r)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
