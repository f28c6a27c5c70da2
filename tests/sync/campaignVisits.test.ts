import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findVisit, visitsOfHousehold } from '../../src/app/db/visits'
import { createLocal } from '../../src/app/sync/outbox'
import { campaignWalks } from '../../src/domain/campaignWalk'
import { dayOfInstant, dayString } from '../../src/domain/householdState'
import type { Campaign, CampaignResultsResponse } from '../../src/domain/schemas/campaign'
import type { Visit } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, login } from './harness'

// A campaign walked offline on two phones (issue 12, sync): the worker's and the secretary's, who
// went along, answer the same household while neither has signal. Both visits are kept and seen
// on both phones; the household counts once, by the later answer. An answer that reaches the
// server after the campaign closed is refused and stays on the phone, in 待处理, with the reason.

let s: TestServer
let baseUrl: string
let officeToken: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(300)
  baseUrl = await s.listen()
  officeToken = await login(baseUrl, 'secretary')
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
})

async function device(username: string) {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

async function office<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${officeToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
  return (await res.json()) as T
}

async function launchGas(): Promise<Campaign> {
  const gas = s.community.templates.find((t) => t.code === 'gas_inspection')!
  const today = dayString(dayOfInstant(Date.now()))
  const draft = await office<Campaign>('POST', '/api/campaigns', {
    title: '燃气安全排查（两台手机）',
    kind: 'inspection',
    templateId: gas.id,
    startDay: today,
    deadline: dayString(dayOfInstant(Date.now()) + 7),
    targeting: { gridIds: workerOf(s.community, 'grid01').gridIds },
  })
  return office<Campaign>('POST', `/api/campaigns/${draft.id}/launch`, {})
}

const answer = (pipeOk: boolean) => ({ templateId: null, templateVersion: null, answers: {}, campaignAnswers: { pipe_ok: pipeOk, hose_ok: true } })

describe('a campaign household answered on two phones offline', () => {
  it('keeps both visits, shows both on each phone, and counts the household once by the later', async () => {
    const c = await launchGas()
    const phone = await device('grid01')
    const secretary = await device('secretary')
    const h = householdOf(s.community, 'grid01', 3)
    const worker = workerOf(s.community, 'grid01').id
    const boss = s.community.users.find((u) => u.username === 'secretary')!.id
    // Both phones hold the campaign and its target before going offline.
    for (const d of [phone, secretary]) {
      expect(await d.db.campaigns.get(c.id)).toMatchObject({ status: 'launched' })
      expect((await d.db.campaignTargets.toArray()).some((t) => t.campaignId === c.id && t.householdId === h.id)).toBe(true)
    }
    // Offline: the secretary's answer (a hazard) at 9:00, the worker's (none) at 9:20.
    const earlier = makeVisit(s.community, h, boss, { ...answer(false), campaignId: c.id, startedAt: new Date(Date.now() - 40 * 60_000).toISOString() })
    const later = makeVisit(s.community, h, worker, { ...answer(true), campaignId: c.id, startedAt: new Date(Date.now() - 20 * 60_000).toISOString() })
    await createLocal(secretary.db, 'visit', earlier)
    await createLocal(phone.db, 'visit', later)
    // The later answer reaches the server first.
    await phone.engine.syncOnce()
    await secretary.engine.syncOnce()
    await phone.engine.syncOnce()
    for (const d of [phone, secretary]) {
      expect(await d.db.outbox.count()).toBe(0)
      const ids = (await visitsOfHousehold(d.db, h.id)).filter((v) => v.campaignId === c.id).map((v) => v.id)
      expect(ids.sort()).toEqual([earlier.id, later.id].sort())
    }
    // Counted once, by the later answer: done, and no hazard for this household.
    const results = await office<CampaignResultsResponse>('GET', `/api/campaigns/${c.id}/results`)
    expect(results.hazards.some((x) => x.householdId === h.id)).toBe(false)
    const pipe = results.items.find((i) => i.itemId === 'pipe_ok')!
    expect(pipe.answered).toBe(1)
    expect(pipe.options.find((o) => o.value === true)!.count).toBe(1)
    // The phone counts it the same way: once, done.
    const campaigns = await phone.db.campaigns.toArray()
    const households = new Map((await phone.db.households.toArray()).map((x) => [x.id, x]))
    const visits: Visit[] = await visitsOfHousehold(phone.db, h.id)
    const [walk] = campaignWalks(campaigns, await phone.db.campaignTargets.toArray(), households, visits, dayOfInstant(Date.now())).filter((w) => w.campaign.id === c.id)
    expect(walk!.households.filter((x) => x.household.id === h.id)).toMatchObject([{ state: 'done', open: false }])
    expect(walk!.counts.done).toBe(1)
  })

  it('an answer that arrives after the close is refused with the reason and stays on the phone', async () => {
    const c = await launchGas()
    const phone = await device('grid01')
    const h = householdOf(s.community, 'grid01', 5)
    const v = makeVisit(s.community, h, workerOf(s.community, 'grid01').id, { ...answer(false), campaignId: c.id })
    await createLocal(phone.db, 'visit', v)
    await office('POST', `/api/campaigns/${c.id}/close`, {})
    const report = await phone.engine.syncOnce()
    expect(report.rejected).toBe(1)
    const [row] = await phone.db.outbox.toArray()
    expect(row).toMatchObject({ entityId: v.id, state: 'rejected', error: { code: 'CAMPAIGN_CLOSED' } })
    expect(row!.error!.message).toMatch(/结束/)
    expect(await findVisit(phone.db, v.id, h.id)).toMatchObject({ id: v.id, campaignId: c.id })
    // The phone learned of the close: the campaign is off 今日, its result frozen.
    expect(await phone.db.campaigns.get(c.id)).toMatchObject({ status: 'closed' })
  })
})
