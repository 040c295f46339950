import type { ImageryStatus } from '../domain';

export interface IngestState {
  status: ImageryStatus;
  error: string | null;
  /** the error as a stable code and its values, worded by the web */
  errorCode?: string | null;
  errorParams?: Record<string, string | number> | null;
  /** metres outside the district, when the imagery lies outside it */
  outsideDistrictM?: number | null;
  done?: number;
  total?: number;
}

/**
 * Follows GET /api/imagery/{id}/events until the imagery is ready or failed. EventSource reconnects by
 * itself after a dropped connection; the first event of each connection is the current status.
 */
export function followIngest(imageryId: number, onChange: (s: IngestState) => void): () => void {
  const source = new EventSource(`/api/imagery/${imageryId}/events`);
  let state: IngestState = { status: 'uploaded', error: null };
  const update = (patch: Partial<IngestState>) => {
    state = { ...state, ...patch };
    onChange(state);
  };
  source.addEventListener('status', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as Omit<IngestState, 'done' | 'total'> & { progress?: unknown };
    const p = data.progress as { done?: number; total?: number } | null | undefined;
    update({
      status: data.status, error: data.error, errorCode: data.errorCode, errorParams: data.errorParams, outsideDistrictM: data.outsideDistrictM,
      ...(p && typeof p === 'object' ? { done: p.done, total: p.total } : {}),
    });
    if (data.status === 'ready' || data.status === 'failed') source.close();
  });
  source.addEventListener('progress', (e) => {
    const p = JSON.parse((e as MessageEvent<string>).data) as { done?: number; total?: number };
    update({ status: 'ingesting', done: p.done, total: p.total });
  });
  return () => source.close();
}
