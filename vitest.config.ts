import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/real-tools.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CLI tests spawn the built binary; two workers suit the 2-core CI machine.
    maxWorkers: 2,
  },
});
