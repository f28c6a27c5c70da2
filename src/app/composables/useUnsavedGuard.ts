import { onBeforeUnmount, watch, type WatchSource } from 'vue'
import { useUpdateStore } from '../stores/update'

/** Marks a form as holding unsaved input while `dirty` is true: an app update waits, the router
 *  asks before leaving, and closing the tab asks the browser to warn. */
export function useUnsavedGuard(dirty: WatchSource<boolean>, writing?: WatchSource<boolean>): void {
  const update = useUpdateStore()
  const id = Symbol('form')
  // While its save is being written the form may be left (the page moves on when it is done),
  // but an update must not reload over the write.
  if (writing) watch(writing, (w) => update.setWriting(id, w), { immediate: true })
  const warn = (e: BeforeUnloadEvent) => {
    e.preventDefault()
  }
  watch(
    dirty,
    (d) => {
      update.setUnsaved(id, d)
      if (typeof window === 'undefined') return
      if (d) window.addEventListener('beforeunload', warn)
      else window.removeEventListener('beforeunload', warn)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    update.setUnsaved(id, false)
    update.setWriting(id, false)
    if (typeof window !== 'undefined') window.removeEventListener('beforeunload', warn)
  })
}
