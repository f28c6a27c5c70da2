import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import HomePage from '../../src/app/pages/HomePage.vue'
import TodayPage from '../../src/app/pages/TodayPage.vue'
import { db } from '../../src/app/db/instance'
import { useTodayStore } from '../../src/app/stores/today'
import { DEFAULT_SETTINGS, type Household, type Visit } from '../../src/domain'
import { validBuilding, validGridCell, validHousehold, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { putVisits } from '../../src/app/db/visits'

// Saturday 21 November 2026, 10:00 in China.
const NOW = Date.parse('2026-11-21T10:00:00+08:00')
const DAY = 86_400_000

const b3 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0003', number: '3号楼' })
const b12 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0012', number: '12号楼' })
let n = 0
function home(b: typeof b3, unit: string, room: string, headName: string, over: Partial<Household> = {}): Household {
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return validHousehold({
    id,
    buildingId: b.id,
    unit,
    room,
    floor: Number(room.slice(0, -2)),
    address: `${b.compound}${b.number}${unit}单元${room}`,
    headName,
    tags: ['dibao'],
    attention: 'key',
    ...over,
  })
}
function visit(h: Household, daysAgo: number, outcome: Visit['outcome'] = 'met', followUpDate: string | null = null): Visit {
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return validVisit({ id, householdId: h.id, startedAt: new Date(NOW - daysAgo * DAY).toISOString(), outcome, followUpDate, residentIds: [] })
}

// Monthly (重点, 低保) unless said otherwise.
const late10 = home(b3, '1', '502', '王建国') // met 40 days ago
const late15 = home(b3, '1', '902', '李秀英') // met 45 days ago; not at home yesterday
const never = home(b3, '2', '101', '赵丽', { tags: ['elderly_alone'], attention: 'high' })
const dueToday = home(b12, '1', '301', '周强') // met 30 days ago
const promised = home(b3, '1', '402', '孙伟') // met 20 days ago, follow-up promised for the 23rd
const ordinary = home(b3, '1', '1202', '钱德明', { tags: [], attention: 'normal' }) // met 180 days ago: due the 23rd
const fine = home(b12, '1', '201', '吴敏') // met 20 days ago: due in 10 days
const households = [late10, late15, never, dueToday, promised, ordinary, fine]
const visits = [
  visit(late10, 40),
  visit(late15, 45),
  visit(late15, 1, 'not_home'),
  visit(dueToday, 30),
  visit(promised, 20, 'met', '2026-11-23'),
  visit(ordinary, 180),
  visit(fine, 20),
]

let pinia: Pinia
beforeEach(async () => {
  // Only Date is faked: IndexedDB and Vue still need real timers.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
  pinia = createPinia()
  setActivePinia(pinia)
  await db.buildings.bulkPut([b12, b3])
  await db.households.bulkPut(households)
  await putVisits(db, visits)
})
afterEach(() => {
  vi.useRealTimers()
})

async function mountToday() {
  const w = mount(TodayPage, { global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.findAll('[data-testid="today-row"]').length).toBeGreaterThan(0))
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountToday>>
const section = (w: W, kind: string) => w.get(`[data-section="${kind}"]`)
const rooms = (w: W, kind: string) => section(w, kind).findAll('[data-testid="today-row"] .room').map((r) => r.text())
const dues = (w: W, kind: string) => section(w, kind).findAll('[data-testid="today-row"] .due').map((r) => r.text())

describe('TodayPage', () => {
  it('shows overdue, due today and due this week, in that order, with their counts', async () => {
    const w = await mountToday()
    expect(w.findAll('section h3').map((h) => h.text())).toEqual(['已逾期 3', '今天到期 1', '本周到期 2'])
    expect(rooms(w, 'overdue')).toEqual(['502', '902', '101'])
    expect(dues(w, 'overdue')).toEqual(['逾期 10 天', '逾期 15 天', '从未走访'])
    expect(rooms(w, 'today')).toEqual(['301'])
    expect(dues(w, 'today')).toEqual(['今天到期'])
    expect(rooms(w, 'week')).toEqual(['402', '1202'])
    // The first by the follow-up promised on the last visit, the second by the rules.
    expect(dues(w, 'week')).toEqual(['约定 11-23 回访', '11-23 到期'])
    // Visited 20 days ago, monthly: not due for another 10 days.
    expect(w.text()).not.toContain('201')
  })

  it('groups each section by building and unit so it can be walked', async () => {
    const w = await mountToday()
    const overdue = section(w, 'overdue')
    expect(overdue.findAll('[data-testid="today-building"]').map((h) => h.text())).toEqual(['幸福里小区3号楼'])
    expect(overdue.findAll('h5').map((h) => h.text())).toEqual(['1单元', '2单元'])
    expect(section(w, 'today').findAll('[data-testid="today-building"]').map((h) => h.text())).toEqual(['幸福里小区12号楼'])
  })

  it('links rows to the household, with the head of household masked and the tags shown', async () => {
    const w = await mountToday()
    const row = section(w, 'overdue').get('[data-testid="today-row"]')
    expect(row.attributes('href')).toBe(`/households/${late10.id}`)
    expect(row.text()).toContain('王*国')
    expect(row.text()).toContain('低保')
    expect(row.text()).toContain('重点')
    for (const full of ['王建国', '李秀英', '周强', '钱德明']) expect(w.html()).not.toContain(full)
  })

  it('takes a household off the list once a visit meets someone, but not after "not at home"', async () => {
    const w = await mountToday()
    // Saved together: once 902 leaves the list, the page has seen both visits.
    await putVisits(db, [visit(late10, 0, 'not_home'), visit(late15, 0, 'phone')])
    await vi.waitFor(() => expect(rooms(w, 'overdue')).toEqual(['502', '101']))
    expect(dues(w, 'overdue')).toEqual(['逾期 10 天', '从未走访'])
    await putVisits(db, [visit(late10, 0, 'met')])
    await vi.waitFor(() => expect(rooms(w, 'overdue')).toEqual(['101']))
    expect(w.get('[data-section="overdue"] h3').text()).toBe('已逾期 1')
  })

  it('moves on to the next day at midnight China time, not before', async () => {
    const w = await mountToday()
    vi.setSystemTime(Date.parse('2026-11-21T23:59:00+08:00'))
    useTodayStore().refresh()
    await flushPromises()
    expect(rooms(w, 'today')).toEqual(['301'])
    vi.setSystemTime(Date.parse('2026-11-22T00:01:00+08:00'))
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.waitFor(() => expect(rooms(w, 'today')).toEqual([]))
    expect(rooms(w, 'overdue')).toEqual(['502', '902', '101', '301'])
    expect(dues(w, 'overdue').at(-1)).toBe('逾期 1 天')
  })

  it('lists a missed follow-up with the overdue, saying which day was promised; "not at home" since does not keep it', async () => {
    const missed = home(b12, '2', '602', '郑红', { gridId: late10.gridId })
    await db.households.put(missed)
    // Met 5 days ago (monthly: due in 25 days), promising the 19th; nobody home on the 20th.
    await putVisits(db, [visit(missed, 5, 'met', '2026-11-19'), visit(missed, 1, 'not_home')])
    const w = await mountToday()
    await vi.waitFor(() => expect(rooms(w, 'overdue')).toContain('602'))
    expect(dues(w, 'overdue')).toContain('约定回访已过期 (11-19)')
    expect(section(w, 'overdue').get('[data-state="followup_missed"]').text()).toBe('约定回访已过期 (11-19)')
    expect(w.get('[data-section="overdue"] h3').text()).toBe('已逾期 4')
    // Reached by phone: the promise is kept, and 602 is not due again for a month.
    await putVisits(db, [visit(missed, 0, 'phone')])
    await vi.waitFor(() => expect(rooms(w, 'overdue')).not.toContain('602'))
  })

  it("follows the community's synced visit rules", async () => {
    // 低保 every 14 days: the household visited 20 days ago is now 6 days overdue.
    await db.settings.put({ ...DEFAULT_SETTINGS, visitRules: [...DEFAULT_SETTINGS.visitRules, { attention: 'any', tag: 'dibao', days: 14 }], _v: 3 })
    const w = await mountToday()
    await vi.waitFor(() => expect(rooms(w, 'overdue')).toContain('201'))
    expect(w.find('.notice').exists()).toBe(false)
  })

  it('says the default rules are in use until the settings have synced', async () => {
    const w = await mountToday()
    expect(w.get('.notice').text()).toContain('默认规则')
  })
})

describe('HomePage', () => {
  it('shows the three counts and links to the today list', async () => {
    const w = mount(HomePage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.get('[data-testid="count-overdue"]').text()).toBe('3'))
    expect(w.get('[data-testid="count-today"]').text()).toBe('1')
    expect(w.get('[data-testid="count-week"]').text()).toBe('2')
    expect(w.get('[data-testid="today-counts"]').attributes('href')).toBe('/today')
  })

  it("shows each grid cell's late households, the today list's own count for that cell", async () => {
    const other = '0190a000-0000-7000-8000-0000000000e2'
    await db.gridCells.bulkPut([validGridCell(), validGridCell({ id: other, code: 'G02', name: '幸福里第二网格' })])
    // One more household, in the second cell, missed a promised follow-up.
    const missed = home(b12, '2', '602', '郑红', { gridId: other })
    await db.households.put(missed)
    await putVisits(db, [visit(missed, 5, 'met', '2026-11-19')])
    const w = mount(HomePage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.get('[data-testid="count-overdue"]').text()).toBe('4'))
    const late = () => w.findAll('[data-testid="grid-card"]').map((c) => [c.get('strong').text(), c.get('[data-testid="grid-late"]').text()])
    await vi.waitFor(() => expect(late()).toEqual([['幸福里第一网格', '3'], ['幸福里第二网格', '1']]))
  })
})
