import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import { setLocale } from '../../src/app/i18n'
import HouseholdsPage from '../../src/app/pages/HouseholdsPage.vue'
import TodayPage from '../../src/app/pages/TodayPage.vue'
import { keepServerWord, noteCellsHeld, settleCellsLeft } from '../../src/app/sync/cellsLeft'
import { createLocal } from '../../src/app/sync/outbox'
import { validGridCell, validHousehold, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'

// When a sync takes a grid cell off the phone (the admin gave it to another worker), the 今日 and
// 住户 pages say which cell left, when and to whom, and that the visits made offline were kept,
// until the worker dismisses it — not an unexplained 共 0 户.

const second = validGridCell({ id: '0190a000-0000-7000-8000-0000000000e2', name: '幸福里第二网格' })
const movedAt = '2026-12-01T02:20:00.000Z' // 10:20 in China
const sent = validVisit({ id: '0190a000-0000-7000-8000-0000000000f1', gridId: second.id })
const refused = validVisit({ id: '0190a000-0000-7000-8000-0000000000f2', gridId: second.id })

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
  await db.gridCells.bulkPut([validGridCell(), second])
  await db.households.put(validHousehold())
})

/** What a sync does when the server moved the second cell to 王芳: two visits of it were made
 *  offline; one reached the server, the other was refused and waits in 待处理. */
async function secondCellMoved(toName: string | null | 'unsaid' = '王芳') {
  const row = await createLocal(db, 'visit', refused)
  await db.outbox.update(row.seq!, { state: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } })
  await db.transaction('rw', [db.meta, db.gridCells], () => noteCellsHeld(db, { [second.id]: [sent.id, refused.id] }))
  if (toName !== 'unsaid') await keepServerWord(db, [{ gridId: second.id, gridName: second.name, at: movedAt, toName }])
  await db.gridCells.delete(second.id)
  await settleCellsLeft(db)
}

async function mountPage(page: typeof HouseholdsPage | typeof TodayPage) {
  const router = testRouter()
  await router.push('/')
  const w = mount(page, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return w
}

describe('a grid cell that left the phone', () => {
  it('住户 says which cell went to whom and when, and that the offline visits were kept, one of them in 待处理', async () => {
    await secondCellMoved()
    const w = await mountPage(HouseholdsPage)
    await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').exists()).toBe(true))
    const text = w.get('[data-testid="cell-left"]').text()
    expect(text).toMatch(/^幸福里第二网格已交给 王芳（12月1日 \d\d:20），2 条离线走访已保留，其中 1 条没被接收，在「待处理」里。/)
    expect(w.get('[data-testid="cell-left"] a').attributes('href')).toBe('/attention')
  })

  it('stays until dismissed, on 今日 too, and is gone for good once dismissed', async () => {
    await secondCellMoved()
    const today = await mountPage(TodayPage)
    await vi.waitFor(() => expect(today.find('[data-testid="cell-left"]').exists()).toBe(true))
    await today.get('[data-action="dismiss-cell-left"]').trigger('click')
    await vi.waitFor(() => expect(today.find('[data-testid="cell-left"]').exists()).toBe(false))
    today.unmount()
    const households = await mountPage(HouseholdsPage)
    await flushPromises()
    expect(households.find('[data-testid="cell-left"]').exists()).toBe(false)
  })

  it('counts only the refused visits still on the phone: one discarded or accepted later no longer waits', async () => {
    await secondCellMoved()
    const w = await mountPage(HouseholdsPage)
    await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').text()).toContain('其中 1 条'))
    await db.outbox.clear()
    await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').text()).not.toContain('其中'))
    expect(w.find('[data-testid="cell-left"] a').exists()).toBe(false)
    expect(w.get('[data-testid="cell-left"]').text()).toContain('2 条离线走访已保留。')
  })

  it('says so when nobody holds it now, or when the server did not say (an older server)', async () => {
    await secondCellMoved(null)
    const w = await mountPage(HouseholdsPage)
    await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').text()).toMatch(/^幸福里第二网格已不再分配给你（12月1日 \d\d:20）/))
    await Promise.all([db.meta.clear(), db.outbox.clear(), db.visitPacks.clear()])
    await db.gridCells.put(second)
    await secondCellMoved('unsaid')
    await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').text()).toMatch(/^幸福里第二网格已不在你的网格里（.+ 同步时发现）/))
  })

  it('in English, when the worker chose English', async () => {
    await setLocale('en')
    try {
      await secondCellMoved()
      const w = await mountPage(HouseholdsPage)
      await vi.waitFor(() => expect(w.find('[data-testid="cell-left"]').exists()).toBe(true))
      expect(w.get('[data-testid="cell-left"]').text()).toMatch(/^幸福里第二网格 was handed over to 王芳 \(1 December( at)?,? \d\d:20\); offline visits kept: 2, 1 of them not accepted: see To fix\./)
      expect(w.get('[data-action="dismiss-cell-left"]').text()).toBe('Got it')
    } finally {
      await setLocale('zh-CN')
    }
  })
})
