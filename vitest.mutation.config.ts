import { defineConfig } from 'vitest/config'

// What Stryker runs for each mutant (npm run mutation): the node-side tests that exercise the
// three mutated folders (domain rules, server services through the real app, the sync engine
// against the real server). Component and browser tests stay out: they are slow and reach these
// folders only through the ones below.
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: {
    include: ['tests/domain/**/*.test.ts', 'tests/server/**/*.test.ts', 'tests/sync/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
