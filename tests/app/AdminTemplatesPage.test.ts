import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import AdminTemplatesPage from '../../src/app/pages/AdminTemplatesPage.vue'
import { db } from '../../src/app/db/instance'
import { useSessionStore } from '../../src/app/stores/session'
import type { ChecklistTemplate, User } from '../../src/domain'
import { validUser } from '../support/fixtures'
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

  it('every field of an item says what it is, on the screen (not only to a screen reader)', async () => {
    const w = await mountAs('admin')
    const labelOf = (selector: string) => w.get(selector).element.closest('label')?.querySelector('.label')?.textContent
    expect([labelOf('input[name="label-0"]'), labelOf('select[name="kind-0"]'), labelOf('select[name="hazard-0"]')]).toEqual(['名称', '类型', '有隐患的回答'])
    await w.get('select[name="kind-1"]').setValue('choice')
    expect([labelOf('input[name="options-1"]'), labelOf('input[name="hazard-1"]')]).toEqual(['选项（用、分隔）', '有隐患的选项（用、分隔）'])
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

  it('a 表态 item and 有隐患 answers are kept through an edit, and saved with the template', async () => {
    await db.checklistTemplates.put({
      ...template,
      items: [
        { id: 'pipe', label: '燃气管道完好', kind: 'yesno', required: true, hazardWhen: false },
        { id: 'guard', label: '熄火保护', kind: 'choice', options: ['有', '没有', '不清楚'], required: false, hazardWhen: ['没有'] },
      ],
      _v: 3,
    })
    const w = await mountAs('admin')
    expect((w.get('select[name="hazard-0"]').element as HTMLSelectElement).value).toBe('no')
    expect((w.get('input[name="hazard-1"]').element as HTMLInputElement).value).toBe('没有')
    await w.get('input[name="hazard-1"]').setValue('没有、不清楚')
    await w.get('[data-action="add-item"]').trigger('click')
    await w.get('input[name="label-2"]').setValue('是否同意加装电梯')
    await w.get('select[name="kind-2"]').setValue('stance')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.find('[role="status"]').exists()).toBe(true))
    const saved = (await db.checklistTemplates.get(TEMPLATE_ID))!
    expect(saved.items).toEqual([
      { id: 'pipe', label: '燃气管道完好', kind: 'yesno', required: true, hazardWhen: false },
      { id: 'guard', label: '熄火保护', kind: 'choice', options: ['有', '没有', '不清楚'], required: false, hazardWhen: ['没有', '不清楚'] },
      { id: 'item3', label: '是否同意加装电梯', kind: 'stance', required: false },
    ])
  })

  it('the admin makes a new checklist: on the device at once, queued as a create without a version', async () => {
    const w = await mountAs('admin')
    await w.get('input[name="newTemplate"]').setValue('加装电梯意见征询')
    await w.get('[data-action="new-template"]').trigger('click')
    await vi.waitFor(async () => expect(await db.checklistTemplates.count()).toBe(2))
    const made = (await db.checklistTemplates.toArray()).find((x) => x.name === '加装电梯意见征询')!
    expect(made).toMatchObject({ version: 1, items: [{ id: 'item1', kind: 'yesno' }] })
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'checklistTemplate', op: 'create', entityId: made.id })
    expect(row!.data).not.toHaveProperty('version')
    expect(row!.data).toMatchObject({ id: made.id, code: made.code, name: '加装电梯意见征询' })
    await vi.waitFor(() => expect(w.text()).toContain('加装电梯意见征询 · 第1版'))
  })
})
