import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import { useSyncStore } from '../../src/app/stores/sync'
import type { User } from '../../src/domain'
import { ids, validGridCell, validHousehold, validResident, validUser, validVisit } from '../support/fixtures'
import { json, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'
import { countVisits, putVisits } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

// An office device keeps the visits of its window (Settings.officeVisitDays). On a household's
// page it says so; online, the older visits come from the server; offline, it says they are not
// on this device. A worker's device holds them all and says nothing.

const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })
const recent = validVisit({ id: '0190a000-0000-7000-8000-0000000000b1', startedAt: new Date().toISOString(), notes: '这个月的走访' })
const older = validVisit({ id: '0190a000-0000-7000-8000-0000000000b2', startedAt: '2025-03-01T02:00:00.000Z', notes: '去年春天的走访' })
const oldest = validVisit({ id: '0190a000-0000-7000-8000-0000000000b3', startedAt: '2024-11-01T02:00:00.000Z', notes: '前年的走访' })

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
  await putVisits(db, [recent])
})
afterEach(() => vi.unstubAllGlobals())

async function mountAs(user: User) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const w = mount(HouseholdPage, { props: { id: ids.household }, global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.findAll('[data-testid="visit-row"]')).toHaveLength(1))
  await flushPromises()
  return w
}
const notes = (w: Awaited<ReturnType<typeof mountAs>>) => w.findAll('[data-testid="visit-row"]').map((r) => r.text())

describe("a household's older visits on an office device", () => {
  it('online: says what the device keeps, and shows the older visits from the server, newest first', async () => {
    await db.meta.put({ key: 'visitsFrom', value: '2026-09-02T00:00:00.000Z' })
    const calls = stubFetch(({ url }) =>
      url.pathname === `/api/households/${ids.household}/visits` ? json({ visits: [recent, oldest, older] }) : json({ error: { code: 'NOT_FOUND', message: 'no' } }, 404),
    )
    const w = await mountAs(secretary)
    await vi.waitFor(() => expect(w.find('[data-testid="older-visits"]').exists()).toBe(true))
    expect(w.get('[data-testid="older-visits"]').text()).toContain('2026-09-02')
    await w.get('[data-action="load-older-visits"]').trigger('click')
    await vi.waitFor(() => expect(w.findAll('[data-testid="visit-row"]')).toHaveLength(3))
    const rows = notes(w)
    expect(rows[0]).toContain('这个月的走访')
    expect(rows[1]).toContain('去年春天的走访')
    expect(rows[2]).toContain('前年的走访')
    expect(w.findAll('[data-testid="visit-from-server"]')).toHaveLength(2)
    expect(w.find('[data-testid="older-visits"]').exists()).toBe(false)
    expect(calls.filter((c) => c.url.pathname.endsWith('/visits'))).toHaveLength(1)
    // Nothing fetched is stored: the device keeps its window.
    expect(await countVisits(db)).toBe(1)
  })

  it('offline: the older visits are not on this device, and nothing is asked', async () => {
    await db.meta.put({ key: 'visitsFrom', value: '2026-09-02T00:00:00.000Z' })
    const calls = stubFetch(() => json({ visits: [] }))
    const w = await mountAs(secretary)
    useSyncStore().online = false
    await flushPromises()
    await vi.waitFor(() => expect(w.find('[data-testid="older-visits-offline"]').exists()).toBe(true))
    expect(w.get('[data-testid="older-visits-offline"]').text()).toContain('不在这台设备上')
    expect(w.find('[data-action="load-older-visits"]').exists()).toBe(false)
    expect(calls.filter((c) => c.url.pathname.endsWith('/visits'))).toHaveLength(0)
  })

  it('a failed fetch says why and keeps the button', async () => {
    await db.meta.put({ key: 'visitsFrom', value: '2026-09-02T00:00:00.000Z' })
    stubFetch(() => json({ error: { code: 'INTERNAL', message: '服务器出错了' } }, 500))
    const w = await mountAs(secretary)
    await vi.waitFor(() => expect(w.find('[data-action="load-older-visits"]').exists()).toBe(true))
    await w.get('[data-action="load-older-visits"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[role="alert"]').exists()).toBe(true))
    expect(w.get('[role="alert"]').text()).toContain('服务器出错了')
    expect(w.find('[data-action="load-older-visits"]').exists()).toBe(true)
    expect(notes(w)).toHaveLength(1)
  })

  it("a worker's device (no window) says nothing about older visits", async () => {
    stubFetch(() => json({ visits: [] }))
    const w = await mountAs(validUser())
    expect(w.find('[data-testid="older-visits"]').exists()).toBe(false)
  })
})
