import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import AdminTemplatesPage from '../../src/app/pages/AdminTemplatesPage.vue'
import { db } from '../../src/app/db/instance'
import { useSessionStore } from '../../src/app/stores/session'
import type { ChecklistTemplate, User } from '../../src/domain'
import { validUser } from '../domain/fixtures'
import { testRouter } from './helpers'

const TEMPLATE_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'
const template: ChecklistTemplate = {
  id: TEMPLATE_ID,
  code: 'routine',
  name: '常规走访',
  version: 1,
  items: [
    { id: 'safe', label: '安全隐患', kind: 'yesno', required: true },
    { id: 'note', label: '情况', kind: 'text', required: false },
  ],
}

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.checklistTemplates.clear()
  await db.outbox.clear()
  await db.checklistTemplates.put({ ...template, _v: 3 })
})

async function mountAs(role: User['role']) {
  useSessionStore().session = { token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role }) }
  const w = mount(AdminTemplatesPage, { global: { plugins: [pinia, testRouter()] } })
  await flushPromises()
  await vi.waitFor(() => expect(w.findAll('[data-testid="item-row"]')).toHaveLength(2))
  return w
}

describe('AdminTemplatesPage', () => {
  it('read-only for anyone but the admin', async () => {
    const w = await mountAs('secretary')
    expect(w.get('[data-testid="admin-only"]').text()).toContain('只有管理员')
    expect(w.get('fieldset').attributes('disabled')).toBeDefined()
  })

  it('the admin renames an item and adds a required one: saved as version 2, queued, v1 kept', async () => {
    const w = await mountAs('admin')
    await w.get('input[name="label-0"]').setValue('有无安全隐患')
    await w.get('[data-action="add-item"]').trigger('click')
    await w.get('input[name="label-2"]').setValue('消防通道畅通')
    await w.get('input[name="required-2"]').setValue(true)
    await w.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(w.find('[role="status"]').exists()).toBe(true))

    const saved = (await db.checklistTemplates.get(TEMPLATE_ID))!
    expect(saved.version).toBe(2)
    expect(saved.items.map((i) => i.label)).toEqual(['有无安全隐患', '情况', '消防通道畅通'])
    expect(saved.history).toEqual([{ version: 1, items: template.items }])
    const queued = await db.outbox.toArray()
    expect(queued).toHaveLength(1)
    expect(queued[0]).toMatchObject({ entity: 'checklistTemplate', entityId: TEMPLATE_ID, op: 'patch', baseVersion: 3 })
    expect((queued[0]!.data as { items: unknown[] }).items).toHaveLength(3)
    expect(w.text()).toContain('第2版')
  })

  it('refuses an empty label, saying why, and queues nothing', async () => {
    const w = await mountAs('admin')
    await w.get('input[name="label-1"]').setValue('')
    await w.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(w.find('[role="alert"]').exists()).toBe(true))
    expect(await db.outbox.count()).toBe(0)
    expect((await db.checklistTemplates.get(TEMPLATE_ID))!.version).toBe(1)
  })
})
