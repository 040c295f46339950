// One set-up for every browser test: a migrated test schema, the real server on a free port over a data
// folder and queue prefix of its own, Debian's Chromium, and a login as any user the test made.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { hashPassword } from '@tuban/core/auth/secrets';
import { loadConfig, type Config } from '@tuban/core/config';
import type { Pool } from '@tuban/core/db/pool';
import { upsertUser, type User } from '@tuban/core/db/users';
import type { Role } from '@tuban/core/domain';
import { activeModelInfo } from '@tuban/core/learning/model-versions';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase } from '@tuban/core/testing/database';
import { buildApp } from '@tuban/server/app';
import { launchChromium } from './chromium.js';

export const PASSWORD = 'browser-test-password';
/** Screenshots go here (git-ignored), for a person to look at after a run. */
export const SCREENSHOT_DIR = new URL('../../../test-results/', import.meta.url).pathname;

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Called before the page loads (e.g. to route requests). */
  prepare?: (page: Page) => Promise<unknown>;
  /** Console errors a test expects (Chromium logs every failed load), by the URL that logged them and the text. */
  expectedError?: (url: string, text: string) => boolean;
}

export interface BrowserApp {
  db: Pool;
  schema: string;
  dataDir: string;
  queuePrefix: string;
  baseUrl: string;
  browser: Browser;
  /** Console errors and page errors of every page opened with openAs, as "user: message". */
  consoleErrors: string[];
  addUser(username: string, role: Role, streetCode?: string | null, displayName?: string): Promise<User>;
  /** A new page at `path`, logged in as `username` through the login form. */
  openAs(username: string, path: string, options?: OpenOptions): Promise<Page>;
  /** Fills and sends the login form on a page that shows it. */
  logIn(page: Page, username: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserAppOptions {
  /** Plan detection runs with the active model version, as the server does (default: no model, planning answers 503). */
  detection?: boolean;
  /** Server settings the test needs otherwise than the defaults (e.g. LOGIN_LOCK_AFTER). */
  settings?: Partial<Config>;
}

/** Starts the app for a browser test; `setup` fills the database before the server starts. */
export async function startBrowserApp(
  label: string,
  setup: (app: BrowserApp) => Promise<void> = async () => {},
  options: BrowserAppOptions = {},
): Promise<BrowserApp> {
  const testDb = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `tuban-${label}-`));
  const redis = createRedis(loadConfig().REDIS_URL);
  const queuePrefix = `tuban-test-${testDb.schema}`;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let server: FastifyInstance | undefined;
  const consoleErrors: string[] = [];

  const h: BrowserApp = {
    db: testDb.pool,
    schema: testDb.schema,
    dataDir,
    queuePrefix,
    baseUrl: '',
    browser: undefined as unknown as Browser,
    consoleErrors,
    async addUser(username, role, streetCode = null, displayName = username) {
      return upsertUser(testDb.pool, { username, displayName, role, streetCode, passwordHash: await hashPassword(PASSWORD) });
    },
    async logIn(page, username, password = PASSWORD) {
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', password);
      await page.click('button[type="submit"]');
    },
    async openAs(username, path, options = {}) {
      const page = await h.browser.newPage({ viewport: options.viewport ?? { width: 1366, height: 768 } });
      await options.prepare?.(page);
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        if (options.expectedError?.(msg.location().url, msg.text())) return;
        consoleErrors.push(`${username}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => consoleErrors.push(`${username}: ${err.message}`));
      await page.goto(`${h.baseUrl}${path}`);
      await h.logIn(page, username);
      return page;
    },
    async close() {
      await h.browser?.close();
      await server?.close();
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await testDb.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  await setup(h);
  const config = loadConfig(process.env, { LOG_LEVEL: 'silent', ...options.settings, DATA_DIR: dataDir, QUEUE_PREFIX: queuePrefix });
  const changeModel = options.detection ? activeModelInfo(testDb.pool, config.CHANGE_MODEL_PATH) : undefined;
  server = await buildApp({ config, db: testDb.pool, redis, changeModel });
  h.baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  h.browser = await launchChromium();
  return h;
}

/** The rows a query on the test's database returns. */
export async function rows<T = Record<string, unknown>>(db: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[];
}

/** The one row a query must return. */
export async function oneRow<T>(db: Pool, sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await rows<T>(db, sql, params);
  if (!row) throw new Error(`no row for ${sql}`);
  return row;
}

/**
 * The share of a screenshot's pixels that differ clearly from its most common colour: how much is drawn on
 * what would otherwise be a plain background (an empty map, a blank page).
 */
export async function drawnShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<number, number>();
  const n = info.width * info.height;
  for (let i = 0; i < n; i++) {
    const key = (data[i * 3]! << 16) | (data[i * 3 + 1]! << 8) | data[i * 3 + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const [br, bg, bb] = [background >> 16, (background >> 8) & 255, background & 255];
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(data[i * 3]! - br) + Math.abs(data[i * 3 + 1]! - bg) + Math.abs(data[i * 3 + 2]! - bb);
    if (d > 24) drawn++;
  }
  return drawn / n;
}
