import { computed, ref, watch, type Ref } from 'vue'
import type { Visit } from '../../domain'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { fetchHouseholdVisits } from '../api/households'
import { errorText } from '../i18n/errorText'
import { visitWindowStart } from '../sync/visitWindow'
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
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }

  /** The server's visits that are not on this device (the device's copy wins: it may carry a
   *  change not yet sent). */
  const onlyThere = computed(() => {
    const known = new Set(local.value.map((v) => v.id))
    return (fetched.value ?? []).filter((v) => !known.has(v.id))
  })
  const visits = computed<readonly Visit[]>(() =>
    onlyThere.value.length ? [...local.value, ...onlyThere.value].sort((a, b) => b.startedAt.localeCompare(a.startedAt)) : local.value,
  )
  const fromServer = computed(() => new Set(onlyThere.value.map((v) => v.id)))
  return { windowed: computed(() => windowStart.value !== undefined), windowStart, online: computed(() => sync.online), loaded: computed(() => fetched.value !== null), loading, error, loadOlder, visits, fromServer }
}
