// The real server with the web build, on a random port, with a schema, data folder and queue prefix of its own,
// and Debian's Chromium to drive it: what every browser test stands on.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import type { Pool } from '@tuban/core/db/pool';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing';
import { buildApp } from '@tuban/server/app';
import { launchChromium } from './chromium.js';

/** The password of every user a browser test creates. */
export const PASSWORD = 'browser-test-pw';
export const SCREENSHOT_DIR = new URL('../../../test-results/', import.meta.url).pathname;

declare global {
  interface Window {
    __tubanMap?: import('maplibre-gl').Map;
  }
}

export interface WebApp {
  db: Pool;
  baseUrl: string;
  browser: Browser;
  redis: Redis;
  dataDir: string;
  queuePrefix: string;
  /** Rows of a query on this app's schema. */
  q<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A new page (1366 × 768 unless said), prepared, logged in as `username` at `path`. */
  openAs(username: string, path: string, options?: OpenOptions): Promise<Page>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Gets the page's errors, less those `expected` allows (see collectErrors). */
  errors?: string[];
  expected?: (msg: ConsoleMessage) => boolean;
  /** Runs before the first navigation (routes, listeners). */
  prepare?: (page: Page) => unknown;
}

/**
 * Starts the app and Chromium before the file's first test and closes them after its last. The object is filled
 * in when they start, so hooks registered after this call can use it already.
 */
export function useWebApp(label: string): WebApp {
  const web = {} as WebApp;
  let testDb: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase(label);
    const dataDir = await mkdtemp(join(tmpdir(), `tuban-${label}-`));
    const config = loadConfig(process.env, { LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    const redis = createRedis(config.REDIS_URL);
    const queuePrefix = `tuban-test-${testDb.schema}`;
    const db = testDb.pool;
    app = await buildApp({ config, db, redis, queuePrefix });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await launchChromium();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const q = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
    const openAs = async (username: string, path: string, o: OpenOptions = {}) => {
      const page = await browser.newPage({ viewport: o.viewport ?? { width: 1366, height: 768 } });
      await o.prepare?.(page);
      if (o.errors) collectErrors(page, o.errors, username, o.expected);
      await loginAs(page, `${baseUrl}${path}`, username);
      return page;
    };
    Object.assign(web, { db, baseUrl, browser, redis, dataDir, queuePrefix, q, openAs });
  }, 120_000);
  afterAll(async () => {
    await web.browser?.close();
    await app?.close();
    web.redis?.disconnect();
    await testDb?.drop();
    if (web.dataDir) await rm(web.dataDir, { recursive: true, force: true });
  });
  return web;
}

/** Opens url, where the app asks for a login first, and logs in. */
export async function loginAs(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(url);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}

/** Collects the page's uncaught errors and console errors, less those `expected` allows, each with `who` in front. */
function collectErrors(page: Page, errors: string[], who: string, expected: (msg: ConsoleMessage) => boolean = () => false): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected(msg)) errors.push(`${who}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${who}: ${err.message}`));
}
