import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { db } from '../../src/app/db/instance'
import AttentionPage from '../../src/app/pages/AttentionPage.vue'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import { useUpdateStore } from '../../src/app/stores/update'
import { createLocal, transitionLocal } from '../../src/app/sync/outbox'
import type { ApiError, Visit } from '../../src/domain'
import { ids, validCase, validCaseStep, validGridCell, validHousehold, validResident, validTemplate, validUser, validVisit } from '../support/fixtures'
import { findVisit } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

// 待处理: a refused change is named by what the worker knows (the household's address and masked
// head name, the case's title), never by an id — also when its record has left the phone, as a
// moved grid cell's households do — and 修改后重交 opens the visit's form with what was typed,
// or says why it cannot, instead of 加载中… for ever.

const OUT_OF_SCOPE: ApiError = { code: 'OUT_OF_SCOPE', message: '这一户不在你负责的网格' }
const household = validHousehold() // 幸福里小区3号楼1单元502, head 王建国
const visit = validVisit({ notes: '老人腿脚不便，想申请助餐', needs: '助餐' })

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
  await db.gridCells.put(validGridCell())
  await db.households.put(household)
  await putResidents(db, [validResident()])
  await db.checklistTemplates.put(validTemplate())
})

afterEach(() => vi.unstubAllGlobals())

/** Saves the visit on the phone as the worker would, then has the server refuse it. */
async function refusedVisit(v: Visit = visit, error: ApiError = OUT_OF_SCOPE) {
  const row = await createLocal(db, 'visit', v)
  await db.outbox.update(row.seq!, { state: 'rejected', error })
  return row.seq!
}

/** What a reset leaves of a cell that went to another worker: its households and residents
 *  are gone, the refused visit stays (it has a queued change). */
async function cellLeftThePhone() {
  await db.households.clear()
  await db.residentPacks.clear()
}

function app(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/attention', component: AttentionPage },
      { path: '/households/:id/visit/fix/:seq', component: VisitPage, props: true },
      { path: '/:rest(.*)*', component: { render: () => h('p', { 'data-testid': 'elsewhere' }) } },
    ],
  })
  return router.push(path).then(() => ({ router, w: mount(RouterView, { attachTo: document.body, global: { plugins: [pinia, router] } }) }))
}
type W = Awaited<ReturnType<typeof app>>['w']

const names = (w: W) => w.findAll('[data-testid="rejected-name"]').map((x) => x.text())
const rowText = (w: W) => w.findAll('[data-testid="rejected-row"]').map((x) => x.text()).join('\n')
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/

describe('待处理 names each refused record', () => {
  it('a visit by its household’s address and masked head name, a case by its title', async () => {
    await refusedVisit()
    const c = validCase({ title: '楼道里电动车充电' })
    await db.cases.put(c)
    const t = await transitionLocal(db, c.id, validCaseStep(), { state: 'accepted' }, { action: 'accept' })
    await db.outbox.update(t.seq!, { state: 'rejected', error: { code: 'INVALID_TRANSITION', message: '不能受理' } })
    const { w } = await app('/attention')
    await vi.waitFor(() => expect(names(w)).toHaveLength(2))
    expect(names(w)).toEqual(['走访：幸福里小区3号楼1单元502 · 王*国', '问题：楼道里电动车充电'])
    expect(rowText(w)).not.toContain('王建国')
    expect(rowText(w)).not.toMatch(UUID)
    expect(w.find('[data-testid="rejected-gone"]').exists()).toBe(false)
  })

  it('a visit whose household left the phone by the name it had when the visit was saved, and says it left', async () => {
    await refusedVisit()
    await cellLeftThePhone()
    const { w } = await app('/attention')
    await vi.waitFor(() => expect(names(w)).toEqual(['走访：幸福里小区3号楼1单元502 · 王*国']))
    expect(w.get('[data-testid="rejected-gone"]').text()).toBe('这一户已不在这台设备上（可能已交给别的网格员）')
    expect(rowText(w)).not.toMatch(UUID)
  })

  it('a change queued before names were kept, whose record is gone, in words, never its id', async () => {
    const seq = await refusedVisit()
    await db.outbox.update(seq, { label: undefined })
    await cellLeftThePhone()
    const { w } = await app('/attention')
    await vi.waitFor(() => expect(names(w)).toEqual(['走访：已不在这台设备上的一户']))
    expect(rowText(w)).not.toMatch(UUID)
  })
})

describe('修改后重交 of a refused visit', () => {
  it('opens the form with what was typed when the household is on the phone', async () => {
    const seq = await refusedVisit(visit, { code: 'VALIDATION_FAILED', message: '清单版本已过期' })
    const { w, router } = await app('/attention')
    await vi.waitFor(() => expect(w.find('[data-action="fix"]').exists()).toBe(true))
    await w.get('[data-action="fix"]').trigger('click')
    await vi.waitFor(() => expect(w.find('textarea[name="notes"]').exists()).toBe(true))
    expect(router.currentRoute.value.path).toBe(`/households/${ids.household}/visit/fix/${seq}`)
    expect((w.get('textarea[name="notes"]').element as HTMLTextAreaElement).value).toBe('老人腿脚不便，想申请助餐')
    expect(w.find('[data-testid="visit-away"]').exists()).toBe(false)
    // Opened and not touched: leaving does not ask about unsaved input (nothing new was typed).
    expect(useUpdateStore().hasUnsaved).toBe(false)
    await w.get('textarea[name="notes"]').setValue('老人腿脚不便，想申请助餐和上门理发')
    expect(useUpdateStore().hasUnsaved).toBe(true)
  })

  it('opens the form with what was typed when the household left the phone, says why, and resends the fixed visit', async () => {
    const seq = await refusedVisit()
    await cellLeftThePhone()
    const { w, router } = await app('/attention')
    await vi.waitFor(() => expect(w.find('[data-action="fix"]').exists()).toBe(true))
    await w.get('[data-action="fix"]').trigger('click')
    await vi.waitFor(() => expect(w.find('textarea[name="notes"]').exists()).toBe(true))
    expect(w.text()).not.toContain('加载中')
    expect(w.get('[data-testid="visit-away-name"]').text()).toBe('幸福里小区3号楼1单元502 · 王*国')
    const away = w.get('[data-testid="visit-away"]').text()
    expect(away).toContain('这一户已不在这台设备上')
    expect(away).toContain('当时选的 1 位居民这里显示不了，会照旧保留')
    expect(away).toContain('原因：这一户不在你负责的网格')
    expect((w.get('textarea[name="notes"]').element as HTMLTextAreaElement).value).toBe('老人腿脚不便，想申请助餐')
    expect((w.get('textarea[name="needs"]').element as HTMLTextAreaElement).value).toBe('助餐')

    await w.get('textarea[name="notes"]').setValue('老人腿脚不便，已转告新网格员')
    await w.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/attention'))
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ seq, state: 'pending', data: { id: visit.id, householdId: ids.household, gridId: ids.grid, residentIds: [ids.resident], notes: '老人腿脚不便，已转告新网格员', startedAt: visit.startedAt } })
    expect(row!.error).toBeUndefined()
  })

  it('offers to discard it from the form when the household left the phone', async () => {
    const seq = await refusedVisit()
    await cellLeftThePhone()
    vi.stubGlobal('confirm', () => true)
    const { w, router } = await app(`/households/${ids.household}/visit/fix/${seq}`)
    await vi.waitFor(() => expect(w.find('[data-testid="visit-away"] [data-action="discard"]').exists()).toBe(true))
    await w.get('[data-testid="visit-away"] [data-action="discard"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/attention'))
    expect(await db.outbox.count()).toBe(0)
    expect(await findVisit(db, visit.id)).toBeUndefined()
  })

  it('says the change is no longer waiting when it was resent or discarded meanwhile', async () => {
    const seq = await refusedVisit()
    await db.outbox.clear()
    const { w } = await app(`/households/${ids.household}/visit/fix/${seq}`)
    await vi.waitFor(() => expect(w.find('[data-testid="visit-fix-gone"]').exists()).toBe(true))
    expect(w.text()).toContain('这条记录已经不在待处理里了')
    expect(w.text()).not.toContain('加载中')
  })
})
