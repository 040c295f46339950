import { ApiError } from '../api';

/** A JSON call to our API; failures become ApiError with the server's code and message. */
export async function callApi<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    const parsed = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(response.status, parsed?.error?.code ?? `http_${response.status}`, parsed?.error?.message ?? response.statusText);
  }
  return (await response.json()) as T;
}

/** A datetime-local value (wall-clock time in Shanghai) as ISO 8601 with the +08:00 offset. */
export function shanghaiLocalToIso(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+08:00`;
}

/** An instant as the datetime-local value of its wall-clock time in Shanghai. */
export function isoToShanghaiLocal(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return shifted.toISOString().slice(0, 16);
}

/** The current month in Shanghai as YYYY-MM. */
export function currentShanghaiMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}
