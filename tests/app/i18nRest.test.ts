import { afterEach, describe, expect, it } from 'vitest'
import { setLocale, translate } from '../../src/app/i18n'

// A section split between the first screen and the rest (campaign.office.link on the home page,
// the campaign pages' words later) reads whole once the rest has arrived, in both languages.

afterEach(() => setLocale('zh-CN'))

describe('words split between the first screen and the rest', () => {
  it('keeps the first screen\'s words of a section beside the ones that came later', async () => {
    for (const [l, link, title, nav] of [
      ['zh-CN', '专项任务', '专项任务', '地图'],
      ['en', 'Campaigns', 'Campaigns', 'Map'],
    ] as const) {
      await setLocale(l)
      expect([translate('campaign.office.link'), translate('campaign.office.title'), translate('map.nav')]).toEqual([link, title, nav])
      expect(translate('map.title')).not.toBe('map.title')
      expect(translate('dashboard.nav')).not.toBe('dashboard.nav')
      expect(translate('conflict.home', { n: 2 })).toMatch(/2/)
      expect(translate('conflict.title')).not.toBe('conflict.title')
      expect(translate('needs.office.link')).not.toBe('needs.office.link')
      expect(translate('needs.office.title')).not.toBe('needs.office.title')
    }
  })
})
