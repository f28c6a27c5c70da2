import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import CasesPage from '../../src/app/pages/CasesPage.vue'
import type { Case, User } from '../../src/domain'
import { ids, validGridCell, validUser } from '../support/fixtures'
import { testRouter } from './helpers'

const HOUR = 3600_000
const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })

let n = 0
function aCase(title: string, state: Case['state'], hoursAgo: number, urgency: Case['urgency'] = 'blue'): Case {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString()
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return { id, kind: 'need', category: 'repair', title, description: '', gridId: ids.grid, householdIds: [], residentIds: [], location: null, place: '', urgency, photoIds: [], visitId: null, reporterId: ids.worker, reportedAt: at, state, handlerTeamId: null, deadline: null, updatedAt: at }
}
const late = aCase('燃气味道很重', 'reported', 10, 'red')
const fresh = aCase('路灯不亮', 'reported', 1)
const resolved = aCase('楼道灯修好了', 'resolved', 50)
const closed = aCase('已结案的', 'closed', 200)

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.cases.bulkPut([fresh, resolved, closed, late])
})

async function mountAs(user: User) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const w = mount(CasesPage, { global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.find('[data-testid="case-row"]').exists()).toBe(true))
  await flushPromises()
  return w
}
const titles = (w: Awaited<ReturnType<typeof mountAs>>) => w.findAll('.case-title').map((x) => x.text())

describe('CasesPage', () => {
  it('lists a worker’s open cases, late ones first, with state, kind, grid and card', async () => {
    const w = await mountAs(validUser())
    expect(w.get('h1').text()).toBe('我的待办问题')
    expect(titles(w)).toEqual(['燃气味道很重', '路灯不亮', '楼道灯修好了'])
    const first = w.get('[data-testid="case-row"]')
    expect(first.attributes('href')).toBe(`/cases/${late.id}`)
    expect(first.get('[data-testid="case-card"]').text()).toBe('红牌督办')
    expect(first.get('[data-testid="case-state"]').text()).toBe('上报')
    expect(first.text()).toContain('民情诉求 · 维修 · 幸福里第一网格')
  })

  it('shows the office what waits for it, and all open cases on request', async () => {
    const w = await mountAs(secretary)
    // A resolved case waits for the worker's follow-up visit, not for the office.
    expect(titles(w)).toEqual(['燃气味道很重', '路灯不亮'])
    await w.get('[data-view="all"]').trigger('click')
    expect(titles(w)).toEqual(['燃气味道很重', '路灯不亮', '楼道灯修好了'])
  })
})
