import { liveQuery, type Subscription } from 'dexie'
import { getCurrentScope, onScopeDispose, shallowRef, watch, type Ref, type WatchSource } from 'vue'

/** True while a sync pass writes page after page (a first sync, a start over): set by the sync
 *  store from the engine's onBulkPull. */
export const bulkPull = shallowRef(false)

export interface LiveQueryOptions {
  /** The query reads whole tables (every household, every visit): hold it still during a bulk
   *  pull and run it once when the pull ends. Re-run after each page, it would read everything
   *  stored so far, again and again — a first sync would slow down page by page. Meanwhile the
   *  value stays what it was; the home page shows the sync's progress instead of its figures. */
  wholeTables?: boolean
}

/** The one way the UI reads Dexie: a query that re-runs whenever the tables it read change (and
 *  when `deps` change, e.g. a route parameter), exposed as a Vue ref. Unsubscribes with the
 *  component or store that created it. */
export function useLiveQuery<T>(query: () => Promise<T> | T, initial: T, deps?: WatchSource | WatchSource[], opts: LiveQueryOptions = {}): Readonly<Ref<T>> {
  const value = shallowRef(initial) as Ref<T>
  let subscription: Subscription | null = null
  const unsubscribe = () => {
    subscription?.unsubscribe()
    subscription = null
  }
  const subscribe = () => {
    unsubscribe()
    if (opts.wholeTables && bulkPull.value) return
    subscription = liveQuery(query).subscribe({
      next: (v) => {
        value.value = v
      },
      error: (err: unknown) => console.error('live query failed', err),
    })
  }
  const sources: WatchSource[] = [...(deps === undefined ? [] : Array.isArray(deps) ? deps : [deps]), ...(opts.wholeTables ? [bulkPull] : [])]
  if (sources.length) watch(sources, subscribe, { immediate: true })
  else subscribe()
  if (getCurrentScope()) onScopeDispose(unsubscribe)
  return value
}
