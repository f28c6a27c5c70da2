import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import BoardPage from '../../src/app/pages/BoardPage.vue'
import type { Case, User } from '../../src/domain'
import { ids, validGridCell, validUser } from '../support/fixtures'
import { testRouter } from './helpers'

const HOUR = 3600_000
const grid2 = '0190a000-0000-7000-8000-0000000000e2'
const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })

let n = 0
/** A case reported `hoursAgo` hours ago. With the default deadlines (red 2 h, yellow 24 h, blue 72 h to respond). */
function reported(title: string, urgency: Case['urgency'], hoursAgo: number, over: Partial<Case> = {}): Case {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString()
  return {
    id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    kind: 'need',
    category: 'repair',
    title,
    description: '',
    gridId: ids.grid,
    householdIds: [],
    residentIds: [],
    location: null,
    place: '',
    urgency,
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

// Red card: 8 h late on a 2 h response. Yellow card: 6 h late on a 24 h one. On time: 1 h into 72 h.
const onTime = reported('路灯不亮', 'blue', 1)
const yellow = reported('楼道堆物', 'yellow', 30)
const red = reported('燃气味道很重', 'red', 10, { kind: 'hazard', category: 'gas' })
const accepted = reported('停车位纠纷', 'blue', 5, { state: 'accepted', kind: 'dispute', category: 'neighbor', gridId: grid2 })
const closed = reported('已经修好的水管', 'blue', 100, { state: 'closed' })

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.bulkPut([validGridCell(), validGridCell({ id: grid2, code: 'G02', name: '幸福里第二网格' })])
  // Stored in the wrong order on purpose.
  await db.cases.bulkPut([onTime, yellow, accepted, closed, red])
})

async function mountAs(user: User = secretary) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const router = testRouter()
  await router.push('/board')
  const w = mount(BoardPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return { w, router }
}
type W = Awaited<ReturnType<typeof mountAs>>['w']
const column = (w: W, state: string) => w.get(`[data-testid="board-column"][data-state="${state}"]`)
const titles = (w: W, state: string) => column(w, state).findAll('.case-title').map((x) => x.text())
const count = (w: W, state: string) => column(w, state).get('[data-testid="board-count"]').text()

describe('BoardPage', () => {
  it('puts a red-card case before a yellow-card one before one still on time, in the same column', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(titles(w, 'reported')).toHaveLength(3))
    expect(titles(w, 'reported')).toEqual(['燃气味道很重', '楼道堆物', '路灯不亮'])
    const cards = column(w, 'reported')
      .findAll('[data-testid="case-row"]')
      .map((r) => r.find('[data-testid="case-card"]'))
      .map((b) => (b.exists() ? b.text() : ''))
    expect(cards).toEqual(['红牌督办', '黄牌督办', ''])
    expect(count(w, 'reported')).toBe('3')
  })

  it('shows every open state as a column with its count, and no closed case', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(titles(w, 'reported')).toHaveLength(3))
    expect(w.findAll('[data-testid="board-column"] h3').map((h) => h.text().replace(/\s*\d+$/, ''))).toEqual([
      '上报',
      '受理',
      '分派',
      '处置',
      '上报街道',
      '办结',
      '核查',
      '回退',
    ])
    expect(titles(w, 'accepted')).toEqual(['停车位纠纷'])
    expect(count(w, 'assigned')).toBe('0')
    expect(w.text()).not.toContain('已经修好的水管')
    expect(column(w, 'reported').get('[data-testid="case-row"]').attributes('href')).toBe(`/cases/${red.id}`)
  })

  it('filters by kind and by grid cell', async () => {
    const { w } = await mountAs()
    await vi.waitFor(() => expect(titles(w, 'reported')).toHaveLength(3))
    await w.get('select[name="kind"]').setValue('hazard')
    expect(titles(w, 'reported')).toEqual(['燃气味道很重'])
    expect(titles(w, 'accepted')).toEqual([])
    await w.get('select[name="kind"]').setValue('')
    await w.get('select[name="gridId"]').setValue(grid2)
    expect(titles(w, 'reported')).toEqual([])
    expect(titles(w, 'accepted')).toEqual(['停车位纠纷'])
    expect(count(w, 'reported')).toBe('0')
  })

  it('sends a worker to their own case list', async () => {
    const { w, router } = await mountAs(validUser())
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/cases'))
    expect(w.find('[data-testid="board-column"]').exists()).toBe(false)
  })
})
