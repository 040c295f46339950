// Browser-facing protections: security headers with a CSP that MapLibre works under, and a same-origin check
// on every state-changing request (the session cookie would otherwise ride along on a forged cross-site form).
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden } from '@tuban/core/errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Pages of third-party UIs (API docs, queue board) that ship inline scripts and styles of their own. */
const THIRD_PARTY_UI = /^\/(docs|admin\/queues)(\/|$)/;

/** Origins the basemap style and its tiles come from, when a basemap is configured. */
function basemapOrigins(styleUrl: string): string[] {
  if (!styleUrl) return [];
  try {
    return [new URL(styleUrl).origin];
  } catch {
    return [];
  }
}

export function cspDirectives(basemapStyleUrl: string, extraOrigins: string): Record<string, string[]> {
  const remote = [...basemapOrigins(basemapStyleUrl), ...extraOrigins.split(/[\s,]+/).filter(Boolean)];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // MapLibre's worker is a file of the app; blob: is allowed for the worker it may create from a bundle.
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'img-src': ["'self'", 'data:', 'blob:', ...remote],
    'connect-src': ["'self'", ...remote],
    // Inline styles (style attributes MapLibre's popups and markers carry) are allowed; inline scripts are not.
    'style-src': ["'self'", "'unsafe-inline'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

const THIRD_PARTY_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  const directives = cspDirectives(app.config.BASEMAP_STYLE_URL, app.config.CSP_EXTRA_ORIGINS);
  // Routes of the docs and the queue board get their own, looser policy; set before helmet sees the routes.
  app.addHook('onRoute', (route) => {
    if (THIRD_PARTY_UI.test(route.url) && route.helmet === undefined) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: THIRD_PARTY_DIRECTIVES } };
    }
  });
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives },
    referrerPolicy: { policy: 'same-origin' },
    // Tiles and the OGC API are read by GIS clients on other origins, which CORP does not concern.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  app.addHook('onRequest', async (request) => {
    if (STATE_CHANGING.has(request.method)) assertSameOrigin(request);
  });
}

/**
 * Refuses a state-changing request that a browser marks as coming from another site. Clients that are not
 * browsers send neither header and pass; API tokens are not ambient credentials, so they cannot be forged.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new Forbidden(`refused a ${request.method} from another site (Sec-Fetch-Site: ${site})`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (hostOf(origin) !== hostOf(`${request.protocol}://${request.host}`)) {
    throw new Forbidden(`refused a ${request.method} from origin ${origin}; this server is ${request.host}`);
  }
}

/** host[:port] of a URL with the scheme's default port left out; null when it is not a URL ("null" origins). */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
