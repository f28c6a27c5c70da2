import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import { ids, validGridCell, validHousehold, validResident, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { countVisits } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

// A full disk arrives as an aborted transaction with a QuotaExceededError inside. The worker
// must be told plainly, keep what they typed, and lose nothing already queued.

let pinia: Pinia
let unhook: (() => void) | null = null
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
})
afterEach(() => {
  unhook?.()
  unhook = null
})

/** Makes the next visit write fail inside its transaction the way a full disk does. */
function fillTheDisk() {
  const hook = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
  }
  db.visitPacks.hook('creating', hook)
  unhook = () => db.visitPacks.hook('creating').unsubscribe(hook)
}

describe('a quota error while saving a visit', () => {
  it('is shown plainly, the form keeps its input, and the outbox is unchanged', async () => {
    // Two changes already waiting from earlier.
    await db.outbox.bulkAdd([1, 2].map((i) => ({ mutationId: `0190a000-0000-7000-8000-00000000000${i}`, entity: 'visit' as const, entityId: `0190a000-0000-7000-8000-00000000010${i}`, op: 'create' as const, data: validVisit() as never, at: new Date().toISOString(), state: 'pending' as const, attempts: 0 })))
    const before = await db.outbox.toArray()
    fillTheDisk()
    const router = testRouter()
    await router.push(`/households/${ids.household}/visit`)
    const w = mount(VisitPage, { props: { id: ids.household }, global: { plugins: [pinia, router] }, attachTo: document.body })
    await vi.waitFor(() => expect(w.find('textarea[name="notes"]').exists()).toBe(true))
    await w.get('[data-outcome="met"]').trigger('click')
    await w.get('select[name="template"]').setValue(null)
    await w.get('textarea[name="notes"]').setValue('老人说最近腿疼，下周再来')
    await w.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(w.find('[role="alert"]').exists()).toBe(true))
    expect(w.get('[role="alert"]').text()).toContain('存储空间满了')
    expect(w.get('[role="alert"]').text()).not.toContain('QuotaExceededError')
    expect((w.get('textarea[name="notes"]').element as HTMLTextAreaElement).value).toBe('老人说最近腿疼，下周再来')
    expect(await db.outbox.toArray()).toEqual(before)
    expect(await countVisits(db)).toBe(0)
    expect(router.currentRoute.value.path).toBe(`/households/${ids.household}/visit`)
    // Space freed: the same form saves.
    unhook?.()
    unhook = null
    await w.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(async () => expect(await countVisits(db)).toBe(1))
    expect(await db.outbox.count()).toBe(3)
    w.unmount()
  })
})
