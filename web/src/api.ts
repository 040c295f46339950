import type { ApiResponse } from './api-types';

export type User = NonNullable<ApiResponse<'/api/auth/me'>['user']>;
export type AppConfig = ApiResponse<'/api/config'>;

// /api/streets answers GeoJSON as PostGIS builds it (its schema leaves features open), so their shape is named here.
export interface StreetProperties {
  code: string;
  name: string;
  kind: string;
  boundarySource: string;
  areaM2: number;
}

export interface StreetFeature {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } | null;
  properties: StreetProperties;
}

export interface StreetCollection {
  type: 'FeatureCollection';
  features: StreetFeature[];
}

/** A failed call: the HTTP status (0 when the server could not be reached) and the server's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** stable: the web app words it from its message table (error-text.ts) */
    readonly code: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; params?: unknown } };
    const { code, message, params } = body.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      const values = params && typeof params === 'object' ? (params as Record<string, string | number>) : {};
      return new ApiError(response.status, code, message, values);
    }
  } catch {
    // A proxy or crash page instead of our JSON error body; fall through to the status line.
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'HTTP error');
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One call to our API. A body is sent as JSON, except FormData (multipart) and a body given with its own
 * content type (a file). Failures become ApiError with the server's code and message.
 */
export async function request<T>(method: HttpMethod, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (contentType !== undefined) {
    headers['content-type'] = contentType;
    payload = body as BodyInit;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, credentials: 'same-origin', headers, body: payload });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file from our API (an export), with failures as ApiError like `request`. */
export async function requestBlob(path: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await errorFrom(response);
  return response.blob();
}

export const api = {
  config: () => request<AppConfig>('GET', '/api/config'),
  login: (username: string, password: string) =>
    request<{ user: User }>('POST', '/api/auth/login', { username, password }).then((r) => r.user),
  /** The signed-in user, or null when there is no valid session. */
  me: () =>
    request<{ user: User | null }>('GET', '/api/auth/me').then(
      (r) => r.user,
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      },
    ),
  logout: () => request<void>('POST', '/api/auth/logout'),
  streets: () => request<StreetCollection>('GET', '/api/streets'),
};
