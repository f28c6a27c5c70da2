import { liveQuery } from 'dexie'
import { getCurrentScope, onScopeDispose, shallowRef, type Ref } from 'vue'

/** The one way the UI reads Dexie: a query that re-runs whenever the tables it read change,
 *  exposed as a Vue ref. Unsubscribes with the component or store that created it. */
export function useLiveQuery<T>(query: () => Promise<T> | T, initial: T): Readonly<Ref<T>> {
  const value = shallowRef(initial) as Ref<T>
  const subscription = liveQuery(query).subscribe({
    next: (v) => {
      value.value = v
    },
    error: (err: unknown) => console.error('live query failed', err),
  })
  if (getCurrentScope()) onScopeDispose(() => subscription.unsubscribe())
  return value
}
