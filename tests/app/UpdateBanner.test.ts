import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import UpdateBanner from '../../src/app/components/layout/UpdateBanner.vue'
import VisitForm from '../../src/app/components/visit/VisitForm.vue'
import { useUpdateStore } from '../../src/app/stores/update'
import { ids, validHousehold, validResident, validTemplate } from '../support/fixtures'

// A new version never reloads over a half-filled form: the update waits until it is saved.
beforeEach(() => setActivePinia(createPinia()))

function form() {
  return mount(VisitForm, {
    props: { household: validHousehold(), residents: [validResident()], templates: [validTemplate()], workerId: ids.worker },
    attachTo: document.body,
  })
}

describe('the update prompt', () => {
  it('appears when a new version waits, and updates at once when nothing is being typed', async () => {
    const apply = vi.fn()
    const banner = mount(UpdateBanner)
    useUpdateStore().offer(apply)
    await banner.vm.$nextTick()
    expect(banner.get('[data-testid="update-banner"]').text()).toContain('新版本')
    await banner.get('[data-action="apply-update"]').trigger('click')
    expect(apply).toHaveBeenCalledOnce()
  })

  it('waits while a visit form holds unsaved input, and goes once it is saved', async () => {
    const apply = vi.fn()
    const f = form()
    const banner = mount(UpdateBanner)
    useUpdateStore().offer(apply)
    await f.get('textarea[name="notes"]').setValue('老人腿疼，下周再来')
    await banner.get('[data-action="apply-update"]').trigger('click')
    expect(apply).not.toHaveBeenCalled()
    expect(banner.get('[data-testid="update-blocked"]').text()).toContain('先保存')
    // Sent to be saved: while the record is being written the update still waits (a reload now
    // could cut the write off)…
    await f.get('select[name="template"]').setValue(null)
    await f.get('form').trigger('submit')
    expect(f.emitted('save')).toHaveLength(1)
    await banner.get('[data-action="apply-update"]').trigger('click')
    expect(apply).not.toHaveBeenCalled()
    // …and goes once it is written and the page has moved on.
    f.unmount()
    await banner.get('[data-action="apply-update"]').trigger('click')
    expect(apply).toHaveBeenCalledOnce()
  })

  it('a save that failed leaves the form unsaved again: the update keeps waiting', async () => {
    const apply = vi.fn()
    const f = form()
    const banner = mount(UpdateBanner)
    useUpdateStore().offer(apply)
    await f.get('textarea[name="notes"]').setValue('老人腿疼，下周再来')
    await f.get('select[name="template"]').setValue(null)
    await f.get('form').trigger('submit')
    ;(f.vm as unknown as { saving: boolean }).saving = false // as VisitPage does when the write failed
    await f.vm.$nextTick()
    await banner.get('[data-action="apply-update"]').trigger('click')
    expect(apply).not.toHaveBeenCalled()
    expect(useUpdateStore().hasUnsaved).toBe(true)
    f.unmount()
  })

  it('an untouched form does not hold it back; a discarded one lets go', async () => {
    const apply = vi.fn()
    const f = form()
    useUpdateStore().offer(apply)
    expect(useUpdateStore().hasUnsaved).toBe(false)
    await f.get('textarea[name="notes"]').setValue('写了一半')
    expect(useUpdateStore().hasUnsaved).toBe(true)
    f.unmount() // the worker left the page (after the router asked)
    expect(useUpdateStore().hasUnsaved).toBe(false)
  })
})
