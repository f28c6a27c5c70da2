import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

/** A new version of the app waiting to take over, and the forms that must not be reloaded over.
 *  The update happens only when the worker agrees and nothing typed would be lost. */
export const useUpdateStore = defineStore('update', () => {
  const available = ref(false)
  const unsavedForms = ref(new Set<symbol>())
  const hasUnsaved = computed(() => unsavedForms.value.size > 0)
  /** Saves under way (the form no longer counts as unsaved, so the page may navigate on, but
   *  its record is not written yet): an update waits for these too. */
  const writing = ref(new Set<symbol>())
  const apply = shallowRef<(() => void) | null>(null)

  function offer(applyUpdate: () => void): void {
    apply.value = applyUpdate
    available.value = true
  }

  function setUnsaved(id: symbol, unsaved: boolean): void {
    const next = new Set(unsavedForms.value)
    if (unsaved) next.add(id)
    else next.delete(id)
    unsavedForms.value = next
  }

  function setWriting(id: symbol, busy: boolean): void {
    const next = new Set(writing.value)
    if (busy) next.add(id)
    else next.delete(id)
    writing.value = next
  }

  /** Returns false (and changes nothing) while a form holds unsaved input or a save is being written. */
  function update(): boolean {
    if (hasUnsaved.value || writing.value.size > 0 || !apply.value) return false
    apply.value()
    return true
  }

  return { available, hasUnsaved, offer, setUnsaved, setWriting, update }
})
