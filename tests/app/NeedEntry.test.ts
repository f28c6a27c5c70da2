import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import NeedsPage from '../../src/app/pages/NeedsPage.vue'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import { chinaDay, type ChecklistTemplate, NeedCreate, type User } from '../../src/domain'
import { DEFAULT_TEMPLATES_ZH } from '../../src/domain/defaultTemplates'
import { ids, validCampaign, validCampaignTarget, validGridCell, validHousehold, validNeed, validResident, validResource, validUser } from '../support/fixtures'
import { putResidents } from '../../src/app/db/residents'

// Where a need comes from besides an ordinary visit (issue 13): entered by the office for a
// household (a resident at the counter, a call), or heard on a campaign's visit — the need then
// names the campaign.

const routine: ChecklistTemplate = { id: ids.template, ...DEFAULT_TEMPLATES_ZH.find((t) => t.code === 'routine')! }
let pinia: Pinia

async function app(path: string, user: User) {
  pinia = createPinia()
  setActivePinia(pinia)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/households/:id', component: HouseholdPage, props: true },
      { path: '/households/:id/visit', component: VisitPage, props: true },
      { path: '/needs', component: NeedsPage },
      { path: '/:rest(.*)*', component: { render: () => h('p', { 'data-testid': 'elsewhere' }) } },
    ],
  })
  await router.push(path)
  const w = mount(RouterView, { attachTo: document.body, global: { plugins: [pinia, router] } })
  await vi.waitFor(() => expect(w.find('[data-testid="household-address"], form.visit-form, main.needs, [data-testid="need-row"]').exists()).toBe(true))
  return { router, w }
}

beforeEach(async () => {
  await db.gridCells.put(validGridCell())
  await db.households.put({ ...validHousehold(), _v: 40 })
  await putResidents(db, [{ ...validResident(), _v: 41 }])
  await db.checklistTemplates.put(routine)
})

const secretary = () => validUser({ role: 'secretary' })

describe('社区登记: the office enters a need for a household', () => {
  it('without a kind nothing is queued and the form says why; with one it is on the household at once, queued as the office’s', async () => {
    const { w } = await app(`/households/${ids.household}`, secretary())
    await w.get('[data-action="enter-need"]').trigger('click')
    const form = w.get('[data-testid="need-entry"]')
    await form.get('textarea[name="needDescription"]').setValue('来社区说想咨询遗产继承')
    await form.trigger('submit')
    await flushPromises()
    expect(form.get('[role="alert"]').text()).toBe('请选需求类别')
    expect(await db.outbox.count()).toBe(0)
    await form.get('select[name="needCategory"]').setValue('legal')
    await form.get('select[name="needUrgency"]').setValue('yellow')
    await form.trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'need', op: 'create' })
    const sent = NeedCreate.parse(row!.data)
    expect(sent).toMatchObject({ householdIds: [ids.household], gridId: ids.grid, category: 'legal', urgency: 'yellow', description: '来社区说想咨询遗产继承', source: { kind: 'office' } })
    await vi.waitFor(() => expect(w.get('[data-testid="household-need"]').text()).toContain('法律咨询'))
    expect(w.get('[data-testid="household-need"]').attributes('data-status')).toBe('open')
    expect(w.get('[data-testid="need-entered"]').text()).toContain('法律咨询')
  })

  it('a description too long is refused on the phone with the server’s words, and what was typed stays', async () => {
    const { w } = await app(`/households/${ids.household}`, secretary())
    await w.get('[data-action="enter-need"]').trigger('click')
    const form = w.get('[data-testid="need-entry"]')
    const long = '很'.repeat(501)
    // maxlength stops typing, not a paste or a script: the schema is the check.
    ;(form.get('textarea[name="needDescription"]').element as HTMLTextAreaElement).removeAttribute('maxlength')
    await form.get('textarea[name="needDescription"]').setValue(long)
    await form.get('select[name="needCategory"]').setValue('legal')
    await form.trigger('submit')
    await flushPromises()
    expect(form.get('[role="alert"]').text()).toContain('需求说明最多500字')
    expect((form.get('textarea[name="needDescription"]').element as HTMLTextAreaElement).value).toBe(long)
    expect(await db.outbox.count()).toBe(0)
  })

  it('a worker has no such form: their needs come from visits and the menu', async () => {
    const { w } = await app(`/households/${ids.household}`, validUser())
    expect(w.find('[data-action="enter-need"]').exists()).toBe(false)
  })
})

describe('a need heard on a campaign’s visit', () => {
  it('names the campaign and the visit', async () => {
    const today = chinaDay(Date.now())
    const deadline = chinaDay(Date.now() + 20 * 86_400_000)
    await db.campaigns.put(validCampaign({ startDay: today, deadline }))
    await db.campaignTargets.put(validCampaignTarget())
    const { w, router } = await app(`/households/${ids.household}/visit?campaign=${ids.campaign}`, validUser())
    // The form is drawn again for the campaign once its record is read.
    await vi.waitFor(() => expect(w.find('[data-testid="visit-campaign"]').exists()).toBe(true))
    await flushPromises()
    // The campaign's checklist here is the routine one again, asked beside the visit's own.
    for (const item of w.findAll('[data-item="members_changed"], [data-item="contact_verified"]')) await item.findAll('button')[0]!.trigger('click')
    await w.get('textarea[name="needs"]').setValue('老人想要上门助浴')
    await w.get('select[name="needCategory"]').setValue('elderly_care')
    await w.get('[data-action="save-visit"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/households/${ids.household}`))
    const rows = await db.outbox.orderBy('seq').toArray()
    expect(rows.map((r) => `${r.entity}:${r.op}`)).toEqual(['visit:create', 'need:create'])
    expect(rows[0]!.data).toMatchObject({ campaignId: ids.campaign })
    expect(NeedCreate.parse(rows[1]!.data).source).toEqual({ kind: 'campaign', campaignId: ids.campaign, visitId: rows[0]!.entityId })
  })
})

describe("a matched need's answer deadline, tracked like a case's", () => {
  const HOUR = 3_600_000
  beforeEach(async () => {
    await db.resources.put(validResource())
    const matched = { status: 'matched' as const, resourceId: validResource().id, matchedAt: new Date(Date.now() - 100 * HOUR).toISOString() }
    await db.needs.bulkPut([
      validNeed({ ...matched, description: '上周点的助餐', dueAt: new Date(Date.now() - 2 * HOUR).toISOString() }),
      validNeed({ ...matched, id: '0190a000-0000-7000-8000-00000000e0e1', description: '昨天点的理发', dueAt: new Date(Date.now() + 30 * HOUR).toISOString() }),
    ])
  })

  it('the household page says by when, and that it is overdue once passed', async () => {
    const { w } = await app(`/households/${ids.household}`, validUser())
    await vi.waitFor(() => expect(w.findAll('[data-testid="need-due"]')).toHaveLength(2))
    const [late, due] = ['上周点的助餐', '昨天点的理发'].map((d) => w.findAll('[data-testid="household-need"]').find((r) => r.text().includes(d))!.get('[data-testid="need-due"]'))
    expect(late!.attributes('data-overdue')).toBe('yes')
    expect(late!.text()).toContain('已超时')
    expect(due!.attributes('data-overdue')).toBe('no')
    expect(due!.text()).toContain('前响应')
  })

  it('the office’s list counts the overdue ones', async () => {
    const { w } = await app('/needs', secretary())
    await vi.waitFor(() => expect(w.find('[data-testid="needs-overdue"]').exists()).toBe(true))
    expect(w.get('[data-testid="needs-overdue"]').text()).toBe('1 条已对接的需求超时未解决')
  })
})
