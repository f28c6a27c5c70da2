import { onBeforeUnmount, watch, type WatchSource } from 'vue'
import { useUpdateStore } from '../stores/update'

/** Marks a form as holding unsaved input while `dirty` is true: an app update waits, the router
 *  asks before leaving, and closing the tab asks the browser to warn. */
export function useUnsavedGuard(dirty: WatchSource<boolean>): void {
  const update = useUpdateStore()
  const id = Symbol('form')
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
    if (typeof window !== 'undefined') window.removeEventListener('beforeunload', warn)
  })
}
