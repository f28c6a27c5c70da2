import { describe, expect, it } from 'vitest'

// Every other test file imports the domain at its top: a module that throws while loading (a bad
// schema, a collator for a locale that does not exist) fails those files before any test runs.
// Loading the modules inside a test says which one broke, as a failing test. The app's first
// screen imports them the same way: one that throws leaves it blank.
const MODULES = {
  index: () => import('../../src/domain'),
  pinyinKey: () => import('../../src/domain/pinyinKey'),
  registerImport: () => import('../../src/domain/registerImport'),
  settingsDefaults: () => import('../../src/domain/settingsDefaults'),
  constants: () => import('../../src/domain/constants'),
  'schemas/admin': () => import('../../src/domain/schemas/admin'),
  'schemas/stats': () => import('../../src/domain/schemas/stats'),
}

describe('the domain modules', () => {
  it.each(Object.keys(MODULES) as (keyof typeof MODULES)[])('%s loads', async (name) => {
    await expect(MODULES[name]()).resolves.toBeDefined()
  })
})
