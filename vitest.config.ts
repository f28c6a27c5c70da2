import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Three projects: node-side unit and integration tests, component tests in happy-dom, and the
// end-to-end tests that drive Debian's Chromium against `npm start` (one at a time, slow).
export default defineConfig({
  plugins: [vue()],
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['tests/domain/**/*.test.ts', 'tests/demo/**/*.test.ts', 'tests/server/**/*.test.ts', 'tests/sync/**/*.test.ts', 'tests/api/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'app',
          include: ['tests/app/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['tests/app/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
