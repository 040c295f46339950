import { useCallback, useEffect, useState } from 'react';
import { useLoad } from '../use-load';
import { ApiError, api, type StreetFeature, type User } from '../api';
import { errorText } from '../error-text';
import { useI18n } from '../i18n/i18n-context';
import { currentShanghaiMonth } from '../uploads/http';
import { FlightForm } from './flight-form';
import { FreshnessTable } from './freshness-table';
import { ReflyPanel } from './refly-panel';
import { flightsApi, type Flight, type FlightInput, type FlightStats } from './flights-api';

interface Props {
  user: User;
  onSessionExpired: () => void;
}

/** Sorties (架次): record and correct them, list a month's, and count sorties and pilot-shifts per street. */
export function FlightsPage({ user, onSessionExpired }: Props) {
  const { t, tEnum, formatDate } = useI18n();
  const [month, setMonth] = useState(currentShanghaiMonth());
  const [streets, setStreets] = useState<StreetFeature[]>([]);
  const [flights, setFlights] = useState<Flight[] | null>(null);
  const [stats, setStats] = useState<FlightStats | null>(null);
  const [editing, setEditing] = useState<Flight | null>(null);
  // bumped after each save, so the form starts empty again for the next sortie
  const [saves, setSaves] = useState(0);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) onSessionExpired();
      else setMessage({ kind: 'error', text: errorText(t, err) });
    },
    [onSessionExpired, t],
  );

  const load = useCallback(() => {
    flightsApi.list(month).then((r) => setFlights(r.flights), fail);
    flightsApi.stats(month).then(setStats, fail);
  }, [month, fail]);

  useEffect(load, [load]);
  useLoad(() => api.streets(), (fc) => setStreets(fc.features), fail, [fail]);

  const streetName = (code: string) => streets.find((s) => s.properties.code === code)?.properties.name ?? code;

  async function save(input: FlightInput) {
    try {
      const saved = editing ? await flightsApi.update(editing.id, input) : await flightsApi.create(input);
      setMessage({ kind: 'notice', text: t(editing ? 'flights.updated' : 'flights.created', { id: saved.id }) });
      setEditing(null);
      setSaves((n) => n + 1);
      load();
    } catch (err) {
      fail(err);
    }
  }

  return (
    <div className="flights-page">
      <h2>{t('flights.title')}</h2>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <section>
        <FlightForm key={`${editing?.id ?? 'new'}-${saves}`} streets={streets} editing={editing} onSubmit={save} onCancel={() => setEditing(null)} />
      </section>

      <section>
        <h3>
          <label>
            {t('flights.month')}{' '}
            <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
          </label>
        </h3>
        {stats && (
          <table className="data-table" aria-label={t('flights.statsTitle')}>
            <thead>
              <tr>
                <th>{t('flights.street')}</th>
                <th className="num">{t('flights.sorties')}</th>
                <th className="num">{t('flights.pilotShifts')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.streets.map((s) => (
                <tr key={s.code}>
                  <td>{s.name}</td>
                  <td className="num">{s.sorties}</td>
                  <td className="num">{s.pilotShifts}</td>
                </tr>
              ))}
              <tr>
                <th>{t('flights.district')}</th>
                <th className="num">{stats.total.sorties}</th>
                <th className="num">{stats.total.pilotShifts}</th>
              </tr>
            </tbody>
          </table>
        )}
      </section>

      <ReflyPanel onError={fail} />

      <section>
        <h3>{t('coverage.title')}</h3>
        <FreshnessTable onError={fail} />
      </section>

      <section>
        <h3>{user.role === 'pilot' ? t('flights.mine') : t('flights.all')}</h3>
        {flights === null ? (
          <p className="muted">{t('app.loading')}</p>
        ) : flights.length === 0 ? (
          <p className="muted">{t('flights.none')}</p>
        ) : (
          <table className="data-table" aria-label={t('flights.listTitle')}>
            <thead>
              <tr>
                <th>{t('flights.id')}</th>
                <th>{t('flights.flownAt')}</th>
                <th>{t('flights.pilot')}</th>
                <th>{t('flights.droneModel')}</th>
                <th>{t('flights.purpose')}</th>
                <th>{t('flights.streets')}</th>
                <th>{t('flights.notes')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {flights.map((f) => (
                <tr key={f.id}>
                  <td>{f.id}</td>
                  <td>{formatDate(f.flownAt)}</td>
                  <td>{f.pilotName}</td>
                  <td>{f.droneModel}</td>
                  <td>{tEnum('flightPurpose', f.purpose)}</td>
                  <td>{f.streetCodes.map(streetName).join('、')}</td>
                  <td>{f.notes}</td>
                  <td>
                    <button type="button" onClick={() => setEditing(f)}>
                      {t('flights.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
