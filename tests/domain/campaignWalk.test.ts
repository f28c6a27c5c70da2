import { describe, expect, it } from 'vitest'
import { campaignWalks, openCampaignsOf, type WalkVisit } from '../../src/domain/campaignWalk'
import { dayNumber } from '../../src/domain/householdState'
import { validCampaign, validCampaignTarget } from '../support/fixtures'

// What the worker's phone shows of a campaign on 今日: how far it is ("41/120 户，剩 3 天"), and
// which households are still to walk — by the rule the office counts by.

const hh = (n: number) => ({ id: `0190a000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}` })
const households = new Map([1, 2, 3, 4, 5].map((n) => [hh(n).id, hh(n)]))
const gas = validCampaign({ secondAttempt: true, deadline: '2026-12-04' })
const targets = [1, 2, 3, 4, 5].map((n) => validCampaignTarget({ id: `0190a000-0000-7000-8000-0000000002${n}0`, householdId: hh(n).id }))
/** A visit of household n, for the campaign given (null: a routine visit, no campaign). */
const v = (n: number, outcome: WalkVisit['outcome'], campaignId: string | null = gas.id): WalkVisit => ({ householdId: hh(n).id, outcome, ...(campaignId ? { campaignId } : {}) })
const today = dayNumber('2026-12-01')

describe("a worker's campaigns on the phone", () => {
  it('counts each household once by where it stands, and lists the ones still to walk', () => {
    const visits = [v(1, 'not_home'), v(1, 'met'), v(2, 'not_home'), v(3, 'refused'), v(4, 'phone'), v(5, 'met', null)]
    const [walk] = campaignWalks([gas], targets, households, visits, today)
    expect(walk!.counts).toEqual({ targets: 5, done: 2, attempted: 2, refused: 1, notYet: 1, open: 2 })
    expect(walk!.daysLeft).toBe(3)
    // A routine visit (no campaign) does not count: household 5 is not yet.
    expect(walk!.households.filter((h) => h.open).map((h) => [h.household.id, h.state])).toEqual([
      [hh(2).id, 'attempted'],
      [hh(5).id, 'not_yet'],
    ])
  })

  it('without a second attempt a 不在家 is not open any more', () => {
    const once = validCampaign({ secondAttempt: false })
    const [walk] = campaignWalks([once], targets, households, [v(2, 'not_home', once.id)], today)
    expect(walk!.counts.open).toBe(4)
    expect(walk!.households.find((h) => h.household.id === hh(2).id)!.open).toBe(false)
  })

  it('shows only launched campaigns with a household on this device, the nearest deadline first', () => {
    const later = validCampaign({ id: '0190a000-0000-7000-8000-0000000003a1', title: '反诈宣传入户', deadline: '2026-12-20' })
    const soon = validCampaign({ id: '0190a000-0000-7000-8000-0000000003a2', title: '人口信息核查', deadline: '2026-11-30' })
    const draft = validCampaign({ id: '0190a000-0000-7000-8000-0000000003a3', status: 'draft' })
    const closed = validCampaign({ id: '0190a000-0000-7000-8000-0000000003a4', status: 'closed' })
    const elsewhere = validCampaign({ id: '0190a000-0000-7000-8000-0000000003a5' })
    const ts = [later, soon, draft, closed].map((c, i) => validCampaignTarget({ id: `0190a000-0000-7000-8000-0000000004a${i}`, campaignId: c.id, householdId: hh(1).id }))
    ts.push(validCampaignTarget({ id: '0190a000-0000-7000-8000-0000000004b0', campaignId: elsewhere.id, householdId: '0190a000-0000-7000-8000-0000000009ff' }))
    // The same target twice (added again) counts once.
    ts.push({ ...ts[0]!, id: '0190a000-0000-7000-8000-0000000004c0' })
    const walks = campaignWalks([later, soon, draft, closed, elsewhere], ts, households, [], today)
    expect(walks.map((w) => [w.campaign.title, w.daysLeft, w.counts.targets])).toEqual([
      ['人口信息核查', -1, 1],
      ['反诈宣传入户', 19, 1],
    ])
    expect(openCampaignsOf(walks, hh(1).id).map((w) => w.campaign.id)).toEqual([soon.id, later.id])
    expect(openCampaignsOf(walks, hh(2).id)).toEqual([])
  })

  it('a household reached and then found not at home is done; the households still open are the campaign’s to walk', () => {
    const visits = [v(1, 'met'), v(1, 'not_home'), v(2, 'phone'), v(2, 'refused')]
    const [walk] = campaignWalks([gas], targets, households, visits, today)
    expect(walk!.households.map((h) => h.state)).toEqual(['done', 'done', 'not_yet', 'not_yet', 'not_yet'])
    expect(walk!.counts).toMatchObject({ done: 2, attempted: 0, open: 3 })
    expect(openCampaignsOf([walk!], hh(3).id).map((w) => w.campaign.id), 'one open household among several').toEqual([gas.id])
    expect(openCampaignsOf([walk!], hh(1).id), 'done: nothing to ask there').toEqual([])
  })

  it('campaigns due the same day come by title', () => {
    const a = validCampaign({ id: '0190a000-0000-7000-8000-0000000005a1', title: '人口信息核查', deadline: '2026-12-10' })
    const b = validCampaign({ id: '0190a000-0000-7000-8000-0000000005a2', title: '反诈宣传入户', deadline: '2026-12-10' })
    const ts = [a, b].map((c, i) => validCampaignTarget({ id: `0190a000-0000-7000-8000-0000000006a${i}`, campaignId: c.id, householdId: hh(1).id }))
    expect(campaignWalks([a, b], ts, households, [], today).map((w) => w.campaign.title)).toEqual(['反诈宣传入户', '人口信息核查'])
    expect(campaignWalks([b, a], ts, households, [], today).map((w) => w.campaign.title)).toEqual(['反诈宣传入户', '人口信息核查'])
  })
})
