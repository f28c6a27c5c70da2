import { describe, expect, it } from 'vitest'
import { chinaDay, Notice, noticeShownOn } from '../../src/domain'
import { personalDataIn } from '../../src/domain/publicRules'
import { generateCommunity } from '../../src/demo/generate'

// The demo's 公告: valid records the server would accept (no resident named, no phone), of every
// kind, some for a compound, and some the public page no longer shows.

// As the server makes it on its first start: today is the day it starts.
const now = Date.now()
const c = generateCommunity({ households: 300, now })
const today = chinaDay(now)

describe('the demo’s notices', () => {
  it('are valid, of all four kinds, for the community and for compounds of the register', () => {
    for (const n of c.notices) expect(Notice.safeParse(n).success, n.title).toBe(true)
    expect(new Set(c.notices.map((n) => n.category))).toEqual(new Set(['party', 'affairs', 'finance', 'service']))
    const compounds = new Set(c.buildings.map((b) => b.compound))
    expect(c.notices.filter((n) => n.compound !== null).every((n) => compounds.has(n.compound!))).toBe(true)
    expect(new Set(c.notices.map((n) => n.compound)).size, 'the community and at least two compounds').toBeGreaterThanOrEqual(3)
  })

  it('carry nobody’s name or phone, as the server checks them', () => {
    const names = c.residents.map((r) => r.name)
    for (const n of c.notices) expect(personalDataIn(`${n.title}\n${n.body}`, names), n.title).toBeNull()
  })

  it('five are on the public page today; one is over and one withdrawn', () => {
    expect(c.notices.filter((n) => noticeShownOn(n, today))).toHaveLength(5)
    expect(c.notices.filter((n) => n.withdrawn)).toHaveLength(1)
    expect(c.notices.filter((n) => n.untilDay !== null && n.untilDay < today)).toHaveLength(1)
  })
})
