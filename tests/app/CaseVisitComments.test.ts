import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import type { User } from '../../src/domain'
import { ids, validGridCell, validHousehold, validResident, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { putVisits } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

// 点评 under each visit of the household page, and the 上报问题 links of that page.
const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })
const todayVisit = validVisit({ id: '0190a000-0000-7000-8000-0000000000b1', startedAt: new Date().toISOString() })
const oldVisit = validVisit({ id: '0190a000-0000-7000-8000-0000000000b2', startedAt: '2025-03-01T02:00:00.000Z', notes: '去年的走访' })

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
  await putVisits(db, [todayVisit, oldVisit])
})

async function mountAs(user: User) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const w = mount(HouseholdPage, { props: { id: ids.household }, global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.findAll('[data-testid="visit-row"]')).toHaveLength(2))
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountAs>>
const row = (w: W, i: number) => w.findAll('[data-testid="visit-row"]')[i]!

describe('comments on visits, and reporting from a household', () => {
  it('shows a worker the secretary’s comments read-only, with author and time', async () => {
    await db.comments.put({ id: '0190a000-0000-7000-8000-0000000000c9', visitId: oldVisit.id, gridId: ids.grid, authorId: secretary.id, authorName: '张书记', text: '记录很细，继续关注老人用药', at: '2025-03-02T01:00:00.000Z' })
    const w = await mountAs(validUser())
    await vi.waitFor(() => expect(row(w, 1).find('[data-testid="visit-comment"]').exists()).toBe(true))
    expect(row(w, 1).get('[data-testid="visit-comment"]').text()).toContain('记录很细，继续关注老人用药')
    expect(row(w, 1).get('[data-testid="visit-comment"]').text()).toContain('张书记')
    expect(row(w, 0).find('[data-testid="visit-comment"]').exists()).toBe(false)
    expect(w.find('input[name="comment"]').exists()).toBe(false)
  })

  it('lets the secretary comment on a visit: saved on the device and queued', async () => {
    const w = await mountAs(secretary)
    const form = row(w, 1).get('form')
    await form.trigger('submit')
    await flushPromises()
    expect(row(w, 1).text()).toContain('点评不能为空')
    expect(await db.comments.count()).toBe(0)

    await row(w, 1).get('input[name="comment"]').setValue('  请下周再去一次  ')
    await row(w, 1).get('form').trigger('submit')
    await vi.waitFor(() => expect(row(w, 1).find('[data-testid="visit-comment"]').exists()).toBe(true))
    expect(row(w, 1).get('[data-testid="visit-comment"]').text()).toContain('请下周再去一次')
    expect(await db.comments.toArray()).toMatchObject([{ visitId: oldVisit.id, text: '请下周再去一次', authorName: '张书记', gridId: ids.grid }])
    expect(await db.outbox.toArray()).toMatchObject([{ entity: 'comment', op: 'create' }])
    expect((row(w, 1).get('input[name="comment"]').element as HTMLInputElement).value).toBe('')
  })

  it('links 上报问题 from the household, and from each of today’s visits only', async () => {
    const w = await mountAs(validUser())
    expect(w.get('[data-action="report-case"]').attributes('href')).toBe(`/cases/new?household=${ids.household}`)
    expect(row(w, 0).get('[data-action="report-from-visit"]').attributes('href')).toBe(`/cases/new?household=${ids.household}&visit=${todayVisit.id}`)
    expect(row(w, 1).find('[data-action="report-from-visit"]').exists()).toBe(false)
  })
})
