import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import MatterNewPage from '../../src/app/pages/MatterNewPage.vue'
import MattersPage from '../../src/app/pages/MattersPage.vue'
import { MatterCreate } from '../../src/domain'
import { ids, STAIRWELL, stairwellEntry, stairwellMatter, validBuilding, validHousehold, validNeed } from '../support/fixtures'
import { testRouter } from './helpers'
import { logIn, seedRegister } from './matterKit'

// 议题 for the office: the list by stage (提 议 决 筹 办 评, then 已关闭 / 已放弃), a new matter
// raised from a need (its stairwell and origin filled in); and a worker's household page, which
// lists the household's matters with their stage and nothing of the ledger.

const id = (n: number) => `0190a000-0000-7000-8000-0000000e05${String(n).padStart(2, '0')}`
let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await seedRegister()
})

describe('MattersPage', () => {
  it('groups matters by stage in the order of the way, closed and dropped last; each line with its place, stage and last step’s day', async () => {
    const decided = { decision: { kind: 'resolution' as const, meetingId: id(9), text: '同意' }, publicity: { startDay: '2026-11-01', endDay: '2026-11-07' } }
    await db.matters.bulkPut([
      stairwellMatter({ id: id(1), title: '小区停车难', stage: 'dropped', endReason: '表决没有通过', scope: { kind: 'compound', compound: '幸福里小区' } }),
      stairwellMatter({ id: id(2), title: '加装电梯', stage: 'funded', ...decided }),
      stairwellMatter({ id: id(3), title: '楼道堆物清理', stage: 'raised', scope: { kind: 'building', buildingId: ids.building } }),
      stairwellMatter({ id: id(4), title: '健身器材更新', stage: 'discussed', scope: { kind: 'community' } }),
      stairwellMatter({ id: id(5), title: '垃圾分类亭', stage: 'raised' }),
    ])
    await db.matterSteps.put({ id: id(6), matterId: id(5), action: 'raise', from: null, to: 'raised', actorId: ids.worker, actorName: '刘书记', at: '2026-11-25T03:00:00.000Z', note: '', photoIds: [] })
    logIn('secretary')
    const w = mount(MattersPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.findAll('[data-testid="matter-row"]')).toHaveLength(5))
    expect(w.findAll('[data-testid="matter-group"]').map((g) => g.attributes('data-stage'))).toEqual(['raised', 'discussed', 'funded', 'dropped'])
    const raised = w.get('[data-testid="matter-group"][data-stage="raised"]')
    expect(raised.get('h3').text()).toContain('提 已提出')
    // The latest step first.
    expect(raised.findAll('[data-testid="matter-row"]').map((r) => r.text())).toEqual(['垃圾分类亭幸福里小区3号楼2单元 · 提 已提出最近一步：2026-11-25', '楼道堆物清理幸福里小区3号楼 · 提 已提出最近一步：2026-11-20'])
    expect(w.get('[data-testid="matter-group"][data-stage="discussed"]').text()).toContain('全社区')
    expect(w.get('[data-testid="matter-group"][data-stage="dropped"]').text()).toContain('已放弃')
    expect(w.get('[data-testid="matter-group"][data-stage="dropped"]').text()).toContain('幸福里小区')
    expect(w.get('[data-action="new-matter"]').attributes('href')).toBe('/matters/new')
  })
})

describe('MatterNewPage', () => {
  it('from a need: the household’s stairwell, its words and the need as origin; the outbox holds the MatterCreate', async () => {
    await db.needs.put(validNeed({ householdIds: [STAIRWELL[3]!], description: '老人上下楼困难，想加装电梯' }))
    logIn('secretary')
    const router = testRouter()
    const w = mount(MatterNewPage, { props: { need: ids.need }, global: { plugins: [pinia, router] } })
    await vi.waitFor(() => expect((w.get('input[name="title"]').element as HTMLInputElement).value).toBe('老人上下楼困难，想加装电梯'))
    await flushPromises()
    expect(w.get('[data-testid="matter-origin"]').text()).toBe('来自需求：老人上下楼困难，想加装电梯')
    expect(w.get('[data-scope="unit"]').classes()).toContain('on')
    expect((w.get('select[name="unit"]').element as HTMLSelectElement).value).toBe('2')
    expect(w.get('[data-testid="matter-scope-count"]').text()).toBe('幸福里小区3号楼2单元：台账上 12 户')
    expect((w.get('input[name="raisedByName"]').element as HTMLInputElement).value).toBe('3号楼居民')

    await w.get('input[name="budget"]').setValue('36万')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toBe('金额请写元，如 3000 或 3000.50')
    expect(await db.outbox.count()).toBe(0)
    await w.get('input[name="budget"]').setValue('360,000')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toMatch(/^\/matters\/[0-9a-f-]{36}$/))
    const [row] = await db.outbox.toArray()
    expect(row!.data).toEqual(MatterCreate.parse(row!.data))
    expect(row!.data).toMatchObject({ origin: { kind: 'need', needId: ids.need }, scope: { kind: 'unit', buildingId: ids.building, unit: '2' }, budget: 36_000_000, raisedByName: '3号楼居民' })
    expect(router.currentRoute.value.path).toBe(`/matters/${row!.entityId}`)
  })

  it('a building not chosen is said in the form’s words; nothing queued', async () => {
    logIn('secretary')
    const w = mount(MatterNewPage, { global: { plugins: [pinia, testRouter()] } })
    await w.get('input[name="title"]').setValue('修车棚')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="matter-origin"]').text()).toBe('社区登记')
    expect(w.get('[role="alert"]').text()).toBe('请选楼栋')
    await w.get('[data-scope="community"]').trigger('click')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toBe('请写提出人（如：3号楼居民、业委会）')
    expect(await db.outbox.count()).toBe(0)
  })
})

describe('a worker’s household page', () => {
  it('lists the matters the household is part of, with their stage, read-only, and nothing of the ledger', async () => {
    await db.buildings.put(validBuilding({ id: id(20), number: '5号楼' }))
    await db.households.put(validHousehold({ id: id(21), buildingId: id(20), unit: '1', address: '幸福里小区5号楼1单元101' }))
    await db.matters.bulkPut([
      stairwellMatter({ stage: 'discussed' }),
      stairwellMatter({ id: id(10), title: '小区大门改造', scope: { kind: 'compound', compound: '幸福里小区' }, raisedAt: '2026-11-22T02:00:00.000Z' }),
      stairwellMatter({ id: id(11), title: '5号楼屋顶漏水', scope: { kind: 'building', buildingId: id(20) } }),
    ])
    await db.ledgerEntries.put(stairwellEntry({ kind: 'contribution', householdId: STAIRWELL[0]!, amount: 123_456 }))
    logIn('worker')
    const w = mount(HouseholdPage, { props: { id: STAIRWELL[0]! }, global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.findAll('[data-testid="household-matter"]')).toHaveLength(2))
    const lines = w.findAll('[data-testid="household-matter"]').map((m) => [m.attributes('data-stage'), m.text()])
    expect(lines).toEqual([
      ['raised', '小区大门改造提 已提出'],
      ['discussed', '3号楼2单元加装电梯议 协商中'],
    ])
    // Read-only: no link to the office's page, no amount.
    expect(w.get('[data-testid="household-matters"]').find('a').exists()).toBe(false)
    expect(w.text()).not.toContain('¥')
    expect(w.text()).not.toContain('1,234.56')
  })
})

describe('routes', () => {
  it('are the office’s: a worker asking for /matters, a matter or the new-matter form is sent home', async () => {
    const { router } = await import('../../src/app/router')
    logIn('worker')
    for (const path of ['/matters', `/matters/${id(1)}`, `/matters/new?need=${ids.need}`]) {
      await router.push(path)
      expect(router.currentRoute.value.path).toBe('/')
    }
    setActivePinia(createPinia())
    logIn('secretary')
    await router.push(`/matters/new?need=${ids.need}`)
    expect(router.currentRoute.value.fullPath).toBe(`/matters/new?need=${ids.need}`)
  })
})
