import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import VisitForm from '../../src/app/components/visit/VisitForm.vue'
import { setLocale } from '../../src/app/i18n'
import type { ChecklistTemplate, Household, Visit } from '../../src/domain'
import { Visit as VisitSchema } from '../../src/domain'
import { ids, validHousehold, validResident, validTemplate, validVisit } from '../support/fixtures'

// The photo picker inside the form uses the photos store.
beforeEach(() => setActivePinia(createPinia()))

const routine = validTemplate() // required: safe (yesno), health (choice); optional: people (number 0..20), other (text)
const care: ChecklistTemplate = {
  id: '0190a000-0000-7000-8000-0000000000c1',
  code: 'care',
  name: '关爱走访',
  version: 2,
  items: [{ id: 'meal', label: '按时吃饭', kind: 'yesno', required: true }],
}
const spouseId = '0190a000-0000-7000-8000-0000000000a2'
const residents = [validResident(), validResident({ id: spouseId, name: '李秀英', sex: 'F', relation: 'spouse' })]

function mountForm(opts: { household?: Household; initial?: Visit } = {}) {
  // Attached, so that clicking the submit button submits the form as in a browser.
  return mount(VisitForm, {
    attachTo: document.body,
    props: {
      household: opts.household ?? validHousehold({ attention: 'normal' }),
      residents,
      templates: [routine, care],
      workerId: ids.worker,
      ...(opts.initial ? { initial: opts.initial } : {}),
    },
  })
}
type Form = ReturnType<typeof mountForm>

const item = (w: Form, id: string) => w.get(`[data-item="${id}"]`)
async function pick(w: Form, itemId: string, label: string) {
  const button = item(w, itemId)
    .findAll('button')
    .find((b) => b.text() === label)
  if (!button) throw new Error(`no button ${label} in ${itemId}`)
  await button.trigger('click')
}
const save = (w: Form) => w.get('[data-action="save-visit"]').trigger('click')
const saved = (w: Form) => (w.emitted('save') ?? []).map((args) => args[0] as Visit)

describe('VisitForm', () => {
  it('refuses to save while required items are unanswered, and says which', async () => {
    const w = mountForm()
    await save(w)
    expect(saved(w)).toEqual([])
    expect(item(w, 'safe').text()).toContain('「居住安全」必须填写')
    expect(item(w, 'health').text()).toContain('「身体状况」必须填写')
    expect(w.get('[role="alert"]').text()).toBe('还有 2 处要改')
    expect(w.get('[data-action="save-visit"]').attributes('disabled')).toBeUndefined()
  })

  it('in the English UI, says which required item is unanswered in English (the label stays as the template wrote it)', async () => {
    await setLocale('en')
    try {
      const w = mountForm()
      await save(w)
      expect(saved(w)).toEqual([])
      expect(item(w, 'safe').text()).toContain('"居住安全" is required')
      expect(item(w, 'safe').text()).not.toContain('必须填写')
      w.unmount()
    } finally {
      await setLocale('zh-CN')
    }
  })

  it('after a refused save, takes the worker to the first problem: its input has the focus', async () => {
    const w = mountForm()
    await save(w)
    await new Promise((r) => setTimeout(r))
    expect(item(w, 'safe').element.contains(document.activeElement)).toBe(true)
    w.unmount()
  })

  it.each(['not_home', 'refused'])('%s: an attempt, saved without the checklist\'s required answers, none marked 必填', async (outcome) => {
    const w = mountForm()
    await w.get(`[data-outcome="${outcome}"]`).trigger('click')
    expect(item(w, 'safe').text()).not.toContain('必填')
    await save(w)
    expect(saved(w)).toHaveLength(1)
    expect(saved(w)[0]!.outcome).toBe(outcome)
    w.unmount()
  })

  it('saves exactly one valid visit with everything the worker entered', async () => {
    const w = mountForm()
    await w.get('[data-outcome="phone"]').trigger('click')
    await w.get(`[data-resident="${spouseId}"]`).trigger('click')
    await pick(w, 'safe', '否')
    await pick(w, 'health', '一般')
    await item(w, 'people').get('input[type="number"]').setValue('3')
    await item(w, 'other').get('textarea').setValue('门口堆了杂物')
    await w.get('textarea[name="notes"]').setValue('  电话联系，老人说身体还行  ')
    await w.get('textarea[name="needs"]').setValue('想申请助餐')
    await w.get('input[name="followUpDate"]').setValue('2026-12-01')
    await save(w)

    const visits = saved(w)
    expect(visits).toHaveLength(1)
    const v = visits[0]!
    expect(VisitSchema.safeParse(v).success).toBe(true)
    expect(v).toMatchObject({
      householdId: ids.household,
      gridId: ids.grid,
      workerId: ids.worker,
      outcome: 'phone',
      residentIds: [spouseId],
      templateId: routine.id,
      templateVersion: 1,
      answers: { safe: false, health: '一般', people: 3, other: '门口堆了杂物' },
      notes: '电话联系，老人说身体还行',
      needs: '想申请助餐',
      followUpDate: '2026-12-01',
    })
    expect(w.find('[role="alert"]').exists()).toBe(false)
  })

  it('不在家 and 拒访 save without the checklist\'s required answers: nobody was there to answer', async () => {
    for (const outcome of ['not_home', 'refused'] as const) {
      const w = mountForm()
      await w.get(`[data-outcome="${outcome}"]`).trigger('click')
      await save(w)
      expect(w.text()).not.toContain('必须填写')
      expect(saved(w)).toHaveLength(1)
      expect(saved(w)[0]).toMatchObject({ outcome, residentIds: [] })
      w.unmount()
    }
  })

  it('clears the residents met and hides the picker when nobody was home', async () => {
    const w = mountForm()
    await w.get(`[data-resident="${ids.resident}"]`).trigger('click')
    expect(w.get(`[data-resident="${ids.resident}"]`).classes()).toContain('on')

    await w.get('[data-outcome="not_home"]').trigger('click')
    expect(w.find('[data-resident]').exists()).toBe(false)

    await w.get('[data-outcome="met"]').trigger('click')
    expect(w.get(`[data-resident="${ids.resident}"]`).classes()).not.toContain('on')

    await w.get('[data-outcome="not_home"]').trigger('click')
    await pick(w, 'safe', '是')
    await pick(w, 'health', '好')
    await save(w)
    expect(saved(w)[0]).toMatchObject({ outcome: 'not_home', residentIds: [] })
  })

  it('starts a household under attention on the care checklist, others on the routine one', () => {
    const key = mountForm({ household: validHousehold({ attention: 'key' }) })
    expect((key.get('select[name="template"]').element as HTMLSelectElement).value).toBe(care.id)
    expect(key.find('[data-item="meal"]').exists()).toBe(true)
    expect(key.find('[data-item="safe"]').exists()).toBe(false)

    const normal = mountForm({ household: validHousehold({ attention: 'normal' }) })
    expect((normal.get('select[name="template"]').element as HTMLSelectElement).value).toBe(routine.id)
    expect(normal.find('[data-item="safe"]').exists()).toBe(true)
  })

  it('switching to no checklist saves no answers and asks for none', async () => {
    const w = mountForm()
    await pick(w, 'health', '差')
    await w.get('select[name="template"]').setValue(null)
    expect(w.find('[data-item]').exists()).toBe(false)
    await save(w)
    expect(saved(w)[0]).toMatchObject({ templateId: null, templateVersion: null, answers: {} })
  })

  it('a visit being fixed starts from what was typed and keeps its id', async () => {
    const initial = validVisit({
      id: '0190a000-0000-7000-8000-0000000000f1',
      outcome: 'refused',
      residentIds: [],
      answers: { safe: true, health: '差' },
      notes: '敲门不开，邻居说在家',
      followUpDate: '2026-12-05',
    })
    const w = mountForm({ initial })
    expect(w.get('[data-outcome="refused"]').attributes('aria-checked')).toBe('true')
    expect(w.get('[data-outcome="met"]').attributes('aria-checked')).toBe('false')
    expect((w.get('textarea[name="notes"]').element as HTMLTextAreaElement).value).toBe('敲门不开，邻居说在家')
    expect((w.get('input[name="followUpDate"]').element as HTMLInputElement).value).toBe('2026-12-05')
    expect(item(w, 'health').get('button.on').text()).toBe('差')

    await save(w)
    expect(saved(w)).toHaveLength(1)
    expect(saved(w)[0]).toMatchObject({ id: initial.id, startedAt: initial.startedAt, outcome: 'refused', notes: '敲门不开，邻居说在家' })
  })

  it('refuses notes longer than 2000 characters with 备注最多2000字', async () => {
    const w = mountForm()
    await pick(w, 'safe', '是')
    await pick(w, 'health', '好')
    await w.get('textarea[name="notes"]').setValue('记'.repeat(2001))
    await save(w)
    expect(saved(w)).toEqual([])
    expect(w.text()).toContain('备注最多2000字')
    expect(w.get('[role="alert"]').text()).toBe('还有 1 处要改')
  })

  it('cannot save the same visit twice', async () => {
    const w = mountForm()
    await pick(w, 'safe', '是')
    await pick(w, 'health', '好')
    await save(w)
    const button = w.get('[data-action="save-visit"]')
    expect(button.attributes('disabled')).toBeDefined()
    expect(button.text()).toBe('正在保存…')
    await save(w)
    expect(saved(w)).toHaveLength(1)
  })
})
