import { afterEach, describe, expect, it, vi } from 'vitest'

// A phone left in English opens in English: the domain's messages (a form's checks) too, from
// the first screen on, before anyone touches the language switch.

afterEach(() => {
  localStorage.removeItem('zoufang.locale')
  vi.resetModules()
})

describe('the domain language at startup', () => {
  it('follows the UI language remembered on the device', async () => {
    localStorage.setItem('zoufang.locale', 'en')
    vi.resetModules()
    await import('../../src/app/i18n')
    const { domainLanguage } = await import('../../src/domain/language')
    expect(domainLanguage()).toBe('en')
  })

  it('is Chinese on a device that never chose', async () => {
    vi.resetModules()
    await import('../../src/app/i18n')
    const { domainLanguage } = await import('../../src/domain/language')
    expect(domainLanguage()).toBe('zh-CN')
  })
})
