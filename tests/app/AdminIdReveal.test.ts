import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import { ids, validGridCell, validHousehold, validResident, validUser } from '../support/fixtures'
import { apiError, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'
import { allResidents, putResidents } from '../../src/app/db/residents'

// 查看身份证号 on the household page: asked of the server, shown in place, never kept.
const FULL = '370902195001011234'

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function mountPage() {
  logIn(validUser())
  const router = testRouter()
  await router.push(`/households/${ids.household}`)
  const w = mount(HouseholdPage, { props: { id: ids.household }, global: { plugins: [pinia, router] } })
  await vi.waitFor(() => expect(w.find('[data-testid="id-reveal"]').exists()).toBe(true))
  return w
}

describe('ID number reveal', () => {
  it('shows the masked number, and the full one only after the click; says the view is recorded', async () => {
    const calls = stubFetch(({ url }) => (url.pathname === `/api/residents/${ids.resident}/id-number` ? json({ idNumber: FULL }) : apiError(404, 'NOT_FOUND', 'no')))
    const w = await mountPage()
    expect(w.get('[data-testid="id-number"]').text()).toBe('370902********1234')
    expect(w.text()).not.toContain(FULL)
    expect(w.get('[data-testid="id-reveal"]').text()).toContain('记入操作记录')
    // The household page asks for other things (the user's conflict notices); never the number.
    const reveals = () => calls.filter((c) => c.url.pathname.endsWith('/id-number'))
    expect(reveals()).toHaveLength(0)

    await w.get('[data-action="reveal-id"]').trigger('click')
    await flushPromises()
    expect(reveals().map((c) => `${c.method} ${c.url.pathname}`)).toEqual([`GET /api/residents/${ids.resident}/id-number`])
    expect(reveals()[0]!.headers.authorization).toBe('Bearer tok-1')
    expect(w.get('[data-testid="id-number"]').text()).toBe(FULL)
    // Nothing of it on the device.
    expect(JSON.stringify(await allResidents(db))).not.toContain(FULL)
    expect(JSON.stringify(await db.meta.toArray())).not.toContain(FULL)

    await w.get('[data-action="hide-id"]').trigger('click')
    expect(w.text()).not.toContain(FULL)
  })

  it("shows the server's refusal (403) and keeps the number masked", async () => {
    stubFetch(() => apiError(403, 'OUT_OF_SCOPE', '这户不在你负责的网格里'))
    const w = await mountPage()
    await w.get('[data-action="reveal-id"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="id-reveal-error"]').text()).toBe('这户不在你负责的网格里')
    expect(w.get('[data-testid="id-number"]').text()).toBe('370902********1234')
  })
})
