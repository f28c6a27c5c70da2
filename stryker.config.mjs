// Mutation testing (npm run mutation; not part of npm test: it takes a long while).
// https://stryker-mutator.io/docs/stryker-js/configuration/
// Folders can be narrowed: npm run mutation -- --mutate 'src/domain/**/*.ts'
// STRYKER_TAG=x keeps a run's sandbox and report apart (reports/mutation-x/), so runs on
// different folders can go at once.
const tag = process.env.STRYKER_TAG ? `-${process.env.STRYKER_TAG}` : ''
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/domain/**/*.ts',
    'src/server/services/**/*.ts',
    'src/app/sync/**/*.ts',
    // Label tables and re-export barrels have nothing a test could kill.
    '!src/domain/index.ts',
    '!src/domain/labels.ts',
  ],
  // Sandboxes copy the project: not other runs' sandboxes, reports, builds or data.
  ignorePatterns: ['.stryker-tmp*', 'reports', 'dist', 'data', 'bench/results', 'test-results', 'coverage'],
  // Static mutants (constants evaluated when a module loads) would each need the whole suite,
  // for hours on two cores; they are reported as ignored and left out of the score.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation${tag}/mutation.json` },
  htmlReporter: { fileName: `reports/mutation${tag}/index.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: `.stryker-tmp${tag}`,
  cleanTempDir: 'always',
}
