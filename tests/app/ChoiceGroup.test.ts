import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref, type Component } from 'vue'
import type { Answer, ChecklistItem } from '../../src/domain'
import ChoiceGroup from '../../src/app/components/form/ChoiceGroup.vue'
import VisitChecklistField from '../../src/app/components/visit/VisitChecklistField.vue'

// Every row of choice buttons is one component: a screen reader hears which button is chosen,
// and a keyboard user moves the choice with the arrows and enters the row on the chosen button.

/** A checklist yes/no item bound both ways, as the visit form binds it. */
function yesNo() {
  const value = ref<Answer | undefined>(undefined)
  const item: ChecklistItem = { id: 'gas', label: '燃气是否安全', kind: 'yesno', required: true }
  const Host = defineComponent(() => () => h(VisitChecklistField, { item, modelValue: value.value, 'onUpdate:modelValue': (v: Answer | undefined) => (value.value = v) }))
  return { w: mount(Host, { attachTo: document.body }), value }
}

// A generic SFC's own type does not fit h()'s overloads; its props are checked where pages use it.
const Group = ChoiceGroup as unknown as Component
const checked = (w: ReturnType<typeof mount>) => w.findAll('[role=radio]').map((b) => b.attributes('aria-checked'))
const tabStops = (w: ReturnType<typeof mount>) => w.findAll('[role=radio]').map((b) => b.attributes('tabindex'))

describe('ChoiceGroup', () => {
  it('a yes/no item is a named radio group that says which answer is chosen; tapping it again clears an optional answer', async () => {
    const { w, value } = yesNo()
    const group = w.get('[role=radiogroup]')
    expect(group.attributes('aria-label')).toBe('燃气是否安全')
    expect(checked(w)).toEqual(['false', 'false'])
    // Nothing chosen yet: Tab stops at the first button only.
    expect(tabStops(w)).toEqual(['0', '-1'])
    await w.findAll('[role=radio]')[0]!.trigger('click')
    expect(value.value).toBe(true)
    expect(checked(w)).toEqual(['true', 'false'])
    await w.findAll('[role=radio]')[0]!.trigger('click')
    expect(value.value).toBeUndefined()
    expect(checked(w)).toEqual(['false', 'false'])
    w.unmount()
  })

  it('the arrow keys move the choice and the focus, wrapping round; Home and End jump', async () => {
    const chosen = ref<string | undefined>('met')
    const Host = defineComponent(() => () => h(Group, { options: ['met', 'not_home', 'refused'], modelValue: chosen.value, dataName: 'outcome', 'onUpdate:modelValue': (v: string | undefined) => (chosen.value = v) }))
    const w = mount(Host, { attachTo: document.body })
    const button = (o: string) => w.get(`[data-outcome=${o}]`)
    expect(tabStops(w)).toEqual(['0', '-1', '-1'])
    await button('met').trigger('keydown', { key: 'ArrowRight' })
    await new Promise((r) => setTimeout(r))
    expect(chosen.value).toBe('not_home')
    expect(document.activeElement).toBe(button('not_home').element)
    expect(tabStops(w)).toEqual(['-1', '0', '-1'])
    await button('not_home').trigger('keydown', { key: 'End' })
    expect(chosen.value).toBe('refused')
    await button('refused').trigger('keydown', { key: 'ArrowDown' })
    expect(chosen.value).toBe('met')
    await button('met').trigger('keydown', { key: 'ArrowLeft' })
    expect(chosen.value).toBe('refused')
    // Arrows never clear, and other keys (Tab, letters) are left to the browser.
    await button('refused').trigger('keydown', { key: 'a' })
    expect(chosen.value).toBe('refused')
    w.unmount()
  })
})
