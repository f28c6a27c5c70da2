import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import { allVisits, putVisits } from '../../src/app/db/visits'
import HomePage from '../../src/app/pages/HomePage.vue'
import TodayPage from '../../src/app/pages/TodayPage.vue'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import type { ChecklistTemplate, Household } from '../../src/domain'
import { ids, validBuilding, validCampaign, validCampaignTarget, validGridCell, validHousehold, validTemplate, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'

// A campaign on the worker's phone (issue 12): on 今日 as one line of progress, opening to the
// households still to walk in walking order; the visit form carries the campaign's checklist, and
// a 不在家 counts as an attempt with no answers. All offline: nothing here reaches a server.

const NOW = Date.parse('2026-12-01T10:00:00+08:00')
const b1 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0001', number: '1号楼' })
let n = 0
function home(unit: string, room: string, headName: string): Household {
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return validHousehold({ id, buildingId: b1.id, unit, room, floor: Number(room.slice(0, -2)), address: `${b1.compound}${b1.number}${unit}单元${room}`, headName })
}
const h101 = home('1', '101', '王建国')
const h902 = home('1', '902', '李秀英')
const h301 = home('1', '301', '赵丽')
const h201 = home('2', '201', '周强')
const gasTemplate: ChecklistTemplate = validTemplate({
  id: '0190a000-0000-7000-8000-0000000c0001',
  code: 'gas',
  name: '燃气安全',
  version: 2,
  items: [
    { id: 'pipe_ok', label: '燃气管道完好', kind: 'yesno', required: true, hazardWhen: false },
    { id: 'alarm', label: '报警器', kind: 'choice', options: ['有', '没有'], required: false },
  ],
})
const gas = validCampaign({ title: '燃气安全排查', templateId: gasTemplate.id, templateVersion: 2, deadline: '2026-12-04', secondAttempt: true })
const targets = [h101, h902, h301, h201].map((h, i) => validCampaignTarget({ id: `0190a000-0000-7000-8000-0000000d000${i}`, householdId: h.id }))

let pinia: Pinia
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
  pinia = createPinia()
  setActivePinia(pinia)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
  await db.gridCells.put(validGridCell())
  await db.buildings.put(b1)
  await db.households.bulkPut([h101, h902, h301, h201])
  await db.checklistTemplates.bulkPut([validTemplate(), gasTemplate])
  await db.campaigns.put(gas)
  await db.campaignTargets.bulkPut(targets)
  // 101 done, 902 not at home once (a second try is asked), a routine visit of 301 does not count.
  await putVisits(db, [
    validVisit({ id: '0190a000-0000-7000-8000-0000000e0001', householdId: h101.id, campaignId: gas.id, campaignAnswers: { pipe_ok: true }, startedAt: new Date(NOW - 86_400_000).toISOString() }),
    validVisit({ id: '0190a000-0000-7000-8000-0000000e0002', householdId: h902.id, campaignId: gas.id, outcome: 'not_home', residentIds: [], startedAt: new Date(NOW - 86_400_000).toISOString() }),
    validVisit({ id: '0190a000-0000-7000-8000-0000000e0003', householdId: h301.id, startedAt: new Date(NOW - 86_400_000).toISOString() }),
  ])
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a campaign on 今日', () => {
  it('says how far it is and how long is left, and opens to the households to walk, building → unit → room', async () => {
    const w = mount(TodayPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.find('[data-testid="today-campaign"]').exists()).toBe(true))
    await flushPromises()
    const line = w.get('[data-testid="today-campaign"]')
    expect(line.text()).toContain('燃气安全排查')
    expect(line.get('[data-testid="campaign-progress"]').text()).toBe('1/4 户')
    expect(line.get('[data-testid="campaign-deadline"]').text()).toBe('剩 3 天')
    expect(line.text()).toContain('不在家 1 户')
    expect(w.findAll('[data-testid="campaign-row"]')).toHaveLength(0)
    await line.get('[data-action="toggle-campaign"]').trigger('click')
    const rows = w.findAll('[data-testid="campaign-row"]')
    // 101 is done; the rest in walking order, names masked, each opening its visit for the campaign.
    expect(rows.map((r) => r.get('.room').text())).toEqual(['301', '902', '201'])
    expect(rows[1]!.text()).toContain('李*英')
    expect(rows[1]!.attributes('data-state')).toBe('attempted')
    expect(rows[0]!.attributes('href')).toBe(`/households/${h301.id}/visit?campaign=${gas.id}`)
    w.unmount()
  })

  it("the worker's home page says it too; the secretary's links to the office's campaigns", async () => {
    await db.meta.put({ key: 'lastSyncAt', value: new Date(NOW).toISOString() })
    const w = mount(HomePage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.find('[data-testid="home-campaigns"]').text()).toContain('燃气安全排查 1/4 户'))
    expect(w.get('[data-testid="home-campaigns"]').attributes('href')).toBe('/today')
    w.unmount()
    localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role: 'secretary', gridIds: [] }) }))
    const office = createPinia()
    setActivePinia(office)
    const o = mount(HomePage, { global: { plugins: [office, testRouter()] } })
    await vi.waitFor(() => expect(o.find('[data-testid="home-campaigns"]').exists()).toBe(true))
    expect(o.get('[data-testid="home-campaigns"]').attributes('href')).toBe('/campaigns')
    o.unmount()
  })

  it('is not there once the campaign is closed', async () => {
    await db.campaigns.put({ ...gas, status: 'closed', closedAt: new Date(NOW).toISOString() })
    const w = mount(TodayPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.find('.today').exists()).toBe(true))
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(w.find('[data-testid="today-campaign"]').exists()).toBe(false)
    w.unmount()
  })
})

async function openVisit(householdId: string, query = `?campaign=${gas.id}`) {
  const router = testRouter()
  await router.push(`/households/${householdId}/visit${query}`)
  const w = mount(VisitPage, { props: { id: householdId }, global: { plugins: [pinia, router] }, attachTo: document.body })
  await vi.waitFor(() => expect(w.find('[data-testid="visit-campaign"]').exists()).toBe(true))
  await vi.waitFor(() => expect((w.get('select[name="campaign"]').element as HTMLSelectElement).value).toBe(gas.id))
  return w
}

describe('the visit form of a campaign household', () => {
  it("carries the campaign's checklist; saved on the phone with the campaign's answers", async () => {
    const w = await openVisit(h301.id)
    await w.get('[data-outcome="met"]').trigger('click')
    await w.get('select[name="template"]').setValue(null)
    // Required item left out: refused on the phone, nothing written.
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-item="pipe_ok"]').text()).toContain('必须填写')
    expect(await db.outbox.count()).toBe(0)
    await w.get('[data-item="pipe_ok"] button:nth-child(2)').trigger('click') // 否: a hazard
    await w.get('[data-item="alarm"] button').trigger('click')
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const saved = (await allVisits(db)).find((v) => v.householdId === h301.id && v.campaignId)!
    expect(saved).toMatchObject({ campaignId: gas.id, campaignAnswers: { pipe_ok: false, alarm: '有' }, outcome: 'met', templateId: null })
    w.unmount()
  })

  it('a 不在家 counts as an attempt: the campaign is named, no answers are asked or kept', async () => {
    const w = await openVisit(h201.id)
    await w.get('[data-outcome="not_home"]').trigger('click')
    await w.get('select[name="template"]').setValue(null)
    expect(w.find('[data-item="pipe_ok"]').exists()).toBe(false)
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const saved = (await allVisits(db)).find((v) => v.householdId === h201.id)!
    expect(saved.campaignId).toBe(gas.id)
    expect(saved.campaignAnswers).toBeUndefined()
    w.unmount()
  })

  it('a vote asks who answered, and will not save without it', async () => {
    const stance = validTemplate({ id: '0190a000-0000-7000-8000-0000000c0002', code: 'elevator', name: '加装电梯意见', version: 1, items: [{ id: 'stance', label: '是否同意加装电梯', kind: 'stance', required: true }] })
    await db.checklistTemplates.put(stance)
    await db.campaigns.put({ ...gas, kind: 'vote', templateId: stance.id, templateVersion: 1, vote: { rule: { preset: 'major', participation: { num: 2, den: 3, strict: false }, consent: { num: 3, den: 4, strict: false } }, scope: { kind: 'unit', buildingId: b1.id, unit: '1' } } })
    const w = await openVisit(h301.id)
    await w.get('[data-outcome="met"]').trigger('click')
    await w.get('select[name="template"]').setValue(null)
    await w.get('[data-stance="conditional"]').trigger('click')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.text()).toContain('表决只算业主本人的表态')
    expect(w.text()).toContain('请写明条件')
    expect(await db.outbox.count()).toBe(0)
    await w.get('input[name="stance_note"]').setValue('电梯费按楼层分摊')
    await w.get('[data-respondent="owner"]').trigger('click')
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const saved = (await allVisits(db)).find((v) => v.householdId === h301.id && v.campaignId)!
    expect(saved).toMatchObject({ respondent: 'owner', campaignAnswers: { stance: 'conditional', stance_note: '电梯费按楼层分摊' } })
    w.unmount()
  })

  it('opened as an ordinary visit (not from the campaign), it is not for the campaign unless chosen', async () => {
    const router = testRouter()
    await router.push(`/households/${h301.id}/visit`)
    const w = mount(VisitPage, { props: { id: h301.id }, global: { plugins: [pinia, router] }, attachTo: document.body })
    await vi.waitFor(() => expect(w.find('[data-testid="visit-campaign"]').exists()).toBe(true))
    await flushPromises()
    expect((w.get('select[name="campaign"]').element as HTMLSelectElement).selectedIndex).toBe(0) // 这次不算专项任务
    expect(w.find('[data-item="pipe_ok"]').exists()).toBe(false)
    await w.get('[data-outcome="met"]').trigger('click')
    await w.get('select[name="template"]').setValue(null)
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    expect((await allVisits(db)).filter((v) => v.householdId === h301.id && v.campaignId)).toEqual([])
    w.unmount()
  })

  it('can be a routine visit only: 这次不算专项任务', async () => {
    const w = await openVisit(h301.id)
    await w.get('[data-outcome="met"]').trigger('click')
    await w.get('select[name="campaign"]').setValue(null)
    await w.get('select[name="template"]').setValue(null)
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const mine = (await allVisits(db)).filter((v) => v.householdId === h301.id)
    expect(mine.every((v) => v.campaignId === undefined)).toBe(true)
    expect(ids.household).toBeDefined()
    w.unmount()
  })
})
