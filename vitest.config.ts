import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/src/**/*.test.ts',
      'core/test/**/*.test.ts',
      'server/src/**/*.test.ts',
      'server/test/**/*.test.ts',
      'workers/src/**/*.test.ts',
      'workers/test/**/*.test.ts',
      'data/src/**/*.test.ts',
      'data/test/**/*.test.ts',
      'web/src/**/*.test.ts',
      'web/test/**/*.test.ts',
      'models/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more parallel files only make the database and browser tests slower.
    maxWorkers: 2,
  },
});
