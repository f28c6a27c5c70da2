import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import ResourcesPage from '../../src/app/pages/ResourcesPage.vue'
import { ResourcePatch, type User } from '../../src/domain'
import { useNeedsStore } from '../../src/app/stores/needs'
import { validResource, validUser, validVolunteer } from '../support/fixtures'
import { testRouter } from './helpers'

// 资源清单: the office adds a 驻区单位 with what it offers, on the device at once and queued; a
// worker sees the list with a volunteer's phone masked.
let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.resources.bulkPut([validResource(), validVolunteer({ id: '0190a000-0000-7000-8000-0000000f0001' })])
})

async function mountAs(role: User['role']) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role }) }))
  const w = mount(ResourcesPage, { global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.findAll('[data-testid="resource-row"]')).toHaveLength(2))
  return w
}

describe('ResourcesPage', () => {
  it("a worker sees the resources by kind, a volunteer's phone masked, and no form", async () => {
    const w = await mountAs('worker')
    expect(w.get('[data-kind="volunteer"]').text()).toContain('王建华')
    expect(w.get('[data-kind="volunteer"]').text()).not.toContain('13812345678')
    expect(w.get('[data-kind="volunteer"]').text()).toContain('138****5678')
    expect(w.find('[data-action="add-resource"]').exists()).toBe(false)
  })

  it('the office adds a 驻区单位 with a menu service: on the device at once, queued as resource:create', async () => {
    const w = await mountAs('secretary')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toContain('请写名称')
    expect(await db.outbox.count()).toBe(0)
    await w.get('input[name="name"]').setValue('市立医院')
    await w.get('input[name="contactName"]').setValue('李医生')
    await w.get('select[name="offerCategory"]').setValue('medical')
    await w.get('input[name="offerTitle"]').setValue('上门体检')
    await w.get('input[name="offerCapacity"]').setValue('20')
    await w.get('input[name="offerSchedule"]').setValue('每月第二个周二')
    await w.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.resources.count()).toBe(3))
    const made = (await db.resources.toArray()).find((r) => r.name === '市立医院')!
    expect(made).toMatchObject({ kind: 'unit', active: true, offers: [{ category: 'medical', title: '上门体检', capacity: 20, period: 'month', onMenu: true }] })
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'resource', op: 'create', entityId: made.id })
    expect(row!.data).not.toHaveProperty('active')
    await vi.waitFor(() => expect(w.findAll('[data-testid="resource-row"]')).toHaveLength(3))
  })

  it('the office edits a unit: a second service by the week, a new contact; queued as resource:patch of what the form says', async () => {
    const w = await mountAs('secretary')
    await w.get('[data-kind="unit"] [data-action="edit-resource"]').trigger('click')
    const form = w.get('[data-kind="unit"] form')
    expect((form.get('input[name="name"]').element as HTMLInputElement).value).toBe('幸福里长者食堂')
    await form.get('input[name="contactName"]').setValue('吴店长')
    await form.get('[data-action="add-offer"]').trigger('click')
    const second = form.findAll('[data-testid="offer-draft"]')[1]!
    await second.get('select[name="offerCategory"]').setValue('elderly_care')
    await second.get('input[name="offerTitle"]').setValue('送餐上门')
    await second.get('select[name="offerPeriod"]').setValue('week')
    await second.get('input[name="offerCapacity"]').setValue('15')
    await form.trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'resource', op: 'patch', entityId: validResource().id })
    // What the server is sent is a patch its schema takes: never the id or the kind.
    expect(ResourcePatch.safeParse(row!.data).success).toBe(true)
    expect(row!.data).not.toHaveProperty('kind')
    expect(row!.data).toMatchObject({ contactName: '吴店长', offers: [{ title: validResource().offers[0]!.title }, { title: '送餐上门', category: 'elderly_care', capacity: 15, period: 'week' }] })
    // On the device at once, the form closed, the weekly service said as weekly.
    await vi.waitFor(() => expect(w.get('[data-kind="unit"]').text()).toContain('每周 15 份'))
    expect(w.find('[data-kind="unit"] form').exists()).toBe(false)
    expect(w.get('[data-kind="unit"]').text()).toContain('吴店长')
  })

  it('an offer with a count but no name stays on the form with the reason; nothing is queued', async () => {
    const w = await mountAs('secretary')
    await w.get('[data-kind="unit"] [data-action="edit-resource"]').trigger('click')
    const form = w.get('[data-kind="unit"] form')
    await form.get('input[name="offerCapacity"]').setValue('0')
    await form.trigger('submit')
    await flushPromises()
    expect(form.get('[role="alert"]').text()).toContain('份数至少为1')
    expect(await db.outbox.count()).toBe(0)
  })

  it('the office retires a unit: listed as 已停用 after the active ones, off the service menu, queued as {active: false}; and brings it back', async () => {
    const w = await mountAs('secretary')
    const store = useNeedsStore()
    await vi.waitFor(() => expect(store.menu.map((m) => m.resource.id)).toContain(validResource().id))
    await w.get('[data-kind="unit"] [data-action="retire-resource"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-kind="unit"]').attributes('data-active')).toBe('no'))
    expect(w.get('[data-kind="unit"]').text()).toContain('已停用')
    expect(w.get('[role="status"]').text()).toContain('不再对接新需求')
    expect(store.menu.map((m) => m.resource.id)).not.toContain(validResource().id)
    expect((await db.outbox.toArray()).map((r) => [r.op, r.data])).toEqual([['patch', { active: false }]])
    await w.get('[data-kind="unit"] [data-action="reactivate-resource"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-kind="unit"]').attributes('data-active')).toBe('yes'))
    expect((await db.outbox.toArray()).map((r) => r.data)).toEqual([{ active: false }, { active: true }])
  })

  it("a volunteer's consent to be named is changed with the rest of their part kept", async () => {
    const w = await mountAs('secretary')
    await w.get('[data-kind="volunteer"] [data-action="edit-resource"]').trigger('click')
    const form = w.get('[data-kind="volunteer"] form')
    expect((form.get('input[name="skills"]').element as HTMLInputElement).value).toBe('理发')
    await form.get('input[name="pointsConsent"]').setValue(false)
    await form.trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const [row] = await db.outbox.toArray()
    expect((row!.data as ResourcePatch).volunteer).toEqual({ ...validVolunteer().volunteer, pointsConsent: false })
  })

  it('a worker sees no edit or retire buttons', async () => {
    const w = await mountAs('worker')
    expect(w.find('[data-action="edit-resource"]').exists()).toBe(false)
    expect(w.find('[data-action="retire-resource"]').exists()).toBe(false)
  })
})
