import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import ResourcesPage from '../../src/app/pages/ResourcesPage.vue'
import type { User } from '../../src/domain'
import { validResource, validUser, validVolunteer } from '../domain/fixtures'
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
})
