import { computed, ref, watch, type Ref } from 'vue'
import type { Visit } from '../../domain'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { fetchHouseholdVisits } from '../sync/households'
import { visitWindowStart } from '../sync/visitWindow'
import { failureMessage } from './admin'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'

/** A household's visits on an office device, which keeps only those of its window (and the
 *  latest that reached somebody): `windowed` says so, `loadOlder` asks the server for all of them
 *  (online), and `visits` is the device's copies with the server's older ones after them. */
export function useHouseholdHistory(householdId: Ref<string>, local: Ref<readonly Visit[]>) {
  const session = useSessionStore()
  const sync = useSyncStore()
  const windowStart = useLiveQuery(() => visitWindowStart(db), undefined as string | undefined)
  const fetched = ref<Visit[] | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  watch(householdId, () => {
    fetched.value = null
    error.value = null
  })

  async function loadOlder(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      fetched.value = await fetchHouseholdVisits({ getToken: () => session.token }, householdId.value)
    } catch (err) {
      error.value = failureMessage(err)
    } finally {
      loading.value = false
    }
  }

  const visits = computed<readonly Visit[]>(() => {
    if (!fetched.value) return local.value
    // The device's copy of a visit wins: it may carry a change not yet sent.
    const known = new Set(local.value.map((v) => v.id))
    return [...local.value, ...fetched.value.filter((v) => !known.has(v.id))].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  })
  /** The visits shown from the server's answer only (not on this device). */
  const fromServer = computed(() => {
    const known = new Set(local.value.map((v) => v.id))
    return new Set((fetched.value ?? []).map((v) => v.id).filter((id) => !known.has(id)))
  })
  return { windowed: computed(() => windowStart.value !== undefined), windowStart, online: computed(() => sync.online), loaded: computed(() => fetched.value !== null), loading, error, loadOlder, visits, fromServer }
}
