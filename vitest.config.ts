import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real bot processes; shared CI machines are slow and noisy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
