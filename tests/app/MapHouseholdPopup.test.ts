import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import MapHouseholdPopup from '../../src/app/components/map/MapHouseholdPopup.vue'
import { db } from '../../src/app/db/instance'
import type { Case, HouseholdStat } from '../../src/domain'
import { ids, validHousehold, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { putVisits } from '../../src/app/db/visits'

const OTHER = '0190a000-0000-7000-8000-0000000000c9'
let n = 0
const id = () => `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`

function kase(title: string, over: Partial<Case> = {}): Case {
  const at = new Date(Date.now() - 3600_000).toISOString()
  return {
    id: id(),
    kind: 'need',
    category: 'repair',
    title,
    description: '',
    gridId: ids.grid,
    householdIds: [ids.household],
    residentIds: [],
    location: null,
    place: '',
    urgency: 'yellow',
    photoIds: [],
    visitId: null,
    reporterId: ids.worker,
    reportedAt: at,
    state: 'reported',
    handlerTeamId: null,
    deadline: null,
    updatedAt: at,
    ...over,
  }
}

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.households.bulkPut([validHousehold({ headName: '王建国' }), validHousehold({ id: OTHER, address: '幸福里小区3号楼1单元602', headName: '李四' })])
  // Stored oldest-in-the-middle on purpose; one visit belongs to another household.
  await putVisits(db, [
    validVisit({ id: id(), startedAt: '2026-10-02T02:00:00.000Z', notes: '十月初' }),
    validVisit({ id: id(), startedAt: '2026-06-15T02:00:00.000Z', outcome: 'not_home', residentIds: [], notes: '六月' }),
    validVisit({ id: id(), startedAt: '2026-11-20T02:00:00.000Z', notes: '最近一次' }),
    validVisit({ id: id(), householdId: OTHER, startedAt: '2026-11-21T02:00:00.000Z', notes: '别人家的' }),
  ])
  await db.cases.bulkPut([
    kase('楼道灯坏了'),
    kase('早已结案的漏水', { state: 'closed' }),
    kase('隔壁的纠纷', { householdIds: [OTHER] }),
    // Red, 30 h late on a 2 h response: a red card.
    kase('燃气味', { urgency: 'red', kind: 'hazard', category: 'gas', reportedAt: new Date(Date.now() - 30 * 3600_000).toISOString() }),
  ])
})

async function mountPopup(householdId = ids.household, stat: HouseholdStat | null = null) {
  const router = testRouter()
  await router.push('/map')
  const w = mount(MapHouseholdPopup, { props: { householdId, stat }, global: { plugins: [pinia, router] } })
  await flushPromises()
  return { w, router }
}

describe('MapHouseholdPopup', () => {
  it('shows the address and the head of household masked, never the full name', async () => {
    const { w } = await mountPopup()
    await vi.waitFor(() => expect(w.find('[data-testid=popup-address]').exists()).toBe(true))
    expect(w.get('[data-testid=popup-address]').text()).toBe('幸福里小区3号楼1单元502')
    expect(w.get('[data-testid=popup-head]').text()).toBe('王*国')
    expect(w.text()).not.toContain('王建国')
    expect(w.text()).toContain('低保')
  })

  it('lists this household\'s visits newest first, and no one else\'s', async () => {
    const { w } = await mountPopup()
    await vi.waitFor(() => expect(w.findAll('[data-testid=popup-visit]')).toHaveLength(3))
    const at = w.findAll('[data-testid=popup-visit]').map((v) => v.attributes('data-at'))
    expect(at).toEqual(['2026-11-20T02:00:00.000Z', '2026-10-02T02:00:00.000Z', '2026-06-15T02:00:00.000Z'])
    expect(w.findAll('[data-testid=popup-visit]')[0]!.text()).toContain('最近一次')
    expect(w.findAll('[data-testid=popup-visit]')[2]!.text()).toContain('不在家')
    expect(w.text()).not.toContain('别人家的')
  })

  it('lists its open cases with their card, not closed ones nor other households\'', async () => {
    const { w } = await mountPopup()
    await vi.waitFor(() => expect(w.findAll('[data-testid=popup-case]')).toHaveLength(2))
    const rows = w.findAll('[data-testid=popup-case]')
    const titles = rows.map((r) => r.get('a').text())
    expect(titles.sort()).toEqual(['楼道灯坏了', '燃气味'])
    const gas = rows.find((r) => r.text().includes('燃气味'))!
    expect(gas.get('[data-testid=case-card]').text()).toBe('红牌督办')
    expect(gas.get('a').attributes('href')).toMatch(/^\/cases\//)
  })

  it('links to the household page', async () => {
    const { w, router } = await mountPopup()
    await vi.waitFor(() => expect(w.find('[data-testid=popup-open]').exists()).toBe(true))
    expect(w.get('[data-testid=popup-open]').attributes('href')).toBe(`/households/${ids.household}`)
    await w.get('[data-testid=popup-open]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe(`/households/${ids.household}`)
  })

  it('shows the visit state from the statistics when given', async () => {
    const stat: HouseholdStat = { id: ids.household, gridId: ids.grid, state: 'overdue', dueDay: '2026-11-01', followUp: false, visited: false, lastCompletedAt: '2026-10-02T02:00:00.000Z', visitsInPeriod: 0, needed: true }
    const { w } = await mountPopup(ids.household, stat)
    await vi.waitFor(() => expect(w.find('[data-testid=popup-state]').exists()).toBe(true))
    expect(w.get('[data-testid=popup-state]').text()).toContain('已逾期')
    expect(w.get('[data-testid=popup-state]').text()).toContain('期内走访 0 次')
  })

  it('a missed follow-up says which day was promised; a fine household visited in the period says visited', async () => {
    const missed: HouseholdStat = { id: ids.household, gridId: ids.grid, state: 'followup_missed', dueDay: '2026-11-10', followUp: true, visited: false, lastCompletedAt: '2026-11-01T02:00:00.000Z', visitsInPeriod: 0, needed: true }
    const a = await mountPopup(ids.household, missed)
    await vi.waitFor(() => expect(a.w.find('[data-testid=popup-state]').exists()).toBe(true))
    expect(a.w.get('[data-testid=popup-state]').text()).toContain('约定回访已过期 (11-10)')
    a.w.unmount()
    const b = await mountPopup(ids.household, { ...missed, state: 'ok', dueDay: '2026-12-20', followUp: false, visited: true, visitsInPeriod: 1 })
    await vi.waitFor(() => expect(b.w.find('[data-testid=popup-state]').exists()).toBe(true))
    expect(b.w.get('[data-testid=popup-state]').text()).toContain('期内已走访')
  })

  it('says so when the household is not on the device, and can be closed', async () => {
    const { w } = await mountPopup('0190a000-0000-7000-8000-0000000000ee')
    await flushPromises()
    expect(w.text()).toContain('这一户不在本机上')
    expect(w.find('[data-testid=popup-open]').exists()).toBe(false)
    await w.get('.map-popup-close').trigger('click')
    expect(w.emitted('close')).toHaveLength(1)
  })
})
