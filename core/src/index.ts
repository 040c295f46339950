export * from './config.js';
export * from './domain.js';
export * from './errors.js';
export * from './queue.js';
export * from './redis.js';
export * from './db/pool.js';
export * from './db/migrate.js';
