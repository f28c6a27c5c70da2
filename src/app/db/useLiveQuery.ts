import { liveQuery, type Subscription } from 'dexie'
import { getCurrentScope, onScopeDispose, shallowRef, watch, type Ref, type WatchSource } from 'vue'

/** The one way the UI reads Dexie: a query that re-runs whenever the tables it read change (and
 *  when `deps` change, e.g. a route parameter), exposed as a Vue ref. Unsubscribes with the
 *  component or store that created it. */
export function useLiveQuery<T>(query: () => Promise<T> | T, initial: T, deps?: WatchSource | WatchSource[]): Readonly<Ref<T>> {
  const value = shallowRef(initial) as Ref<T>
  let subscription: Subscription | null = null
  const subscribe = () => {
    subscription?.unsubscribe()
    subscription = liveQuery(query).subscribe({
      next: (v) => {
        value.value = v
      },
      error: (err: unknown) => console.error('live query failed', err),
    })
  }
  if (deps) watch(deps, subscribe, { immediate: true })
  else subscribe()
  if (getCurrentScope()) onScopeDispose(() => subscription?.unsubscribe())
  return value
}
