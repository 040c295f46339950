import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { parseStorageUrl, StorageUrlError } from './storage/storage-url.js';
import { TILE_FORMATS } from './tiles/tile-format.js';

/** Ports of the embedded local services that scripts/services.sh starts when no URL is given. */
export const EMBEDDED_PG_PORT = Number(process.env.TUBAN_PG_PORT || 54329);
export const EMBEDDED_REDIS_PORT = Number(process.env.TUBAN_REDIS_PORT || 63799);

const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1 }),
  REDIS_URL: Type.String({ minLength: 1 }),
  HOST: Type.String(),
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  SESSION_TTL_HOURS: Type.Number({ exclusiveMinimum: 0 }),
  /** Session cookies carry `Secure` when true, and always when the request came over HTTPS. */
  COOKIE_SECURE: Type.Boolean(),
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host (client address, HTTPS, host). */
  TRUST_PROXY: Type.Boolean(),
  /** Further origins the web app may load map data from (space or comma separated), beside the basemap's. */
  CSP_EXTRA_ORIGINS: Type.String(),
  /** Failed logins of one account in a row that lock it (and 5× as many from one address); the lock time. */
  LOGIN_LOCK_AFTER: Type.Integer({ minimum: 1, maximum: 1000 }),
  LOGIN_LOCK_MINUTES: Type.Number({ minimum: 0.1, maximum: 1440 }),
  /** Delay before answering the third failed login in a row; it doubles with each further failure (up to 8 s). */
  LOGIN_DELAY_MS: Type.Integer({ minimum: 0, maximum: 8000 }),
  BASEMAP_STYLE_URL: Type.String(),
  WEB_DIST: Type.String(),
  /** Where uploads, tile pyramids and photos live (a shared folder when workers run on several machines). */
  DATA_DIR: Type.String({ minLength: 1 }),
  /** Where every file lives: empty for the folder DATA_DIR, or s3://bucket[/prefix]?endpoint=… (see storage/storage.ts). */
  STORAGE_URL: Type.String(),
  /** Days a street squad has to deal with a newly confirmed violation (registry deadline). */
  TRIAGE_DEADLINE_DAYS: Type.Integer({ minimum: 1, maximum: 365 }),
  /** Days a street squad has for a field check. */
  FIELD_CHECK_DAYS: Type.Integer({ minimum: 1, maximum: 90 }),
  /** Rasters with more pixels than this are refused before decoding (decompression bombs). */
  RASTER_MAX_PIXELS: Type.Integer({ minimum: 1 }),
  /** Encoding of imagery tiles: 'mixed' (JPEG where opaque, PNG at the imagery's edges), 'webp' or 'png'. */
  TILE_FORMAT: Type.Enum([...TILE_FORMATS]),
  /** Largest file one upload may carry, in bytes. */
  UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1 }),
  /** Unfinished uploads untouched for this long are deleted. */
  UPLOAD_EXPIRY_HOURS: Type.Number({ exclusiveMinimum: 0 }),
  /** 'onnx': the trained model at CHANGE_MODEL_PATH; 'baseline': classical change-vector analysis (no model file). */
  CHANGE_DETECTOR: Type.Enum(['onnx', 'baseline']),
  /** The ONNX change model detection uses; its model card (.card.json) sits beside it. */
  CHANGE_MODEL_PATH: Type.String({ minLength: 1 }),
  /** onnxruntime intra-op threads per worker process (scale out with processes rather than threads). */
  DETECT_THREADS: Type.Integer({ minimum: 1, maximum: 64 }),
  /** Detection batches one worker process works on at once: with 2, one batch's tiles are read and decoded while the other's are inferred. */
  DETECT_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 16 }),
  /** Niceness (Linux) of a worker process's threads other than the model's, so the model gets a core whenever it has work; 0 leaves all equal. */
  DETECT_NICE: Type.Integer({ minimum: 0, maximum: 19 }),
  /** Prefix of every BullMQ key in Redis; separate installations (or tests) sharing a Redis use different ones. */
  QUEUE_PREFIX: Type.String({ pattern: '^[a-z0-9_-]+$' }),
  /** When true, a dismissal by a junior office user waits for a second reviewer. */
  TRIAGE_DISMISS_REVIEW: Type.Boolean(),
});
export type Config = Static<typeof ConfigSchema>;

const DEFAULTS: Record<keyof Config, string> = {
  DATABASE_URL: `postgres://tuban@127.0.0.1:${EMBEDDED_PG_PORT}/tuban`,
  REDIS_URL: `redis://127.0.0.1:${EMBEDDED_REDIS_PORT}`,
  HOST: '127.0.0.1',
  PORT: '8080',
  LOG_LEVEL: 'info',
  SESSION_TTL_HOURS: '12',
  COOKIE_SECURE: 'false',
  TRUST_PROXY: 'false',
  CSP_EXTRA_ORIGINS: '',
  LOGIN_LOCK_AFTER: '10',
  LOGIN_LOCK_MINUTES: '15',
  LOGIN_DELAY_MS: '250',
  BASEMAP_STYLE_URL: '',
  WEB_DIST: new URL('../../web/dist', import.meta.url).pathname,
  DATA_DIR: new URL('../../.data/files', import.meta.url).pathname,
  STORAGE_URL: '',
  TRIAGE_DEADLINE_DAYS: '30',
  FIELD_CHECK_DAYS: '7',
  RASTER_MAX_PIXELS: '4000000000',
  TILE_FORMAT: 'mixed',
  UPLOAD_MAX_BYTES: String(20 * 1024 ** 3),
  UPLOAD_EXPIRY_HOURS: '24',
  CHANGE_DETECTOR: 'onnx',
  CHANGE_MODEL_PATH: new URL('../../models/change-detection/tuban-change.onnx', import.meta.url).pathname,
  DETECT_THREADS: '1',
  DETECT_CONCURRENCY: '2',
  DETECT_NICE: '10',
  QUEUE_PREFIX: 'tuban',
  TRIAGE_DISMISS_REVIEW: 'false',
};

export class ConfigError extends Error {}

/** Reads and validates configuration from the environment; unknown or bad values fail loudly at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    raw[key] = env[key] === undefined || env[key] === '' ? DEFAULTS[key] : env[key];
  }
  const converted = Value.Convert(ConfigSchema, raw);
  const merged = { ...(converted as object), ...overrides };
  if (!Value.Check(ConfigSchema, merged)) {
    const problems = [...Value.Errors(ConfigSchema, merged)].map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  try {
    parseStorageUrl(merged.STORAGE_URL, merged.DATA_DIR);
  } catch (err) {
    if (err instanceof StorageUrlError) throw new ConfigError(`invalid configuration: ${err.message}`);
    throw err;
  }
  return merged as Config;
}
