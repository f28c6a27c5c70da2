import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import { buildTodayList, groupTodayList, lateByGrid } from '../../domain/duePolicy'
import { dayOfInstant, visitHistories, type VisitHistory } from '../../domain/householdState'
import { db } from '../db/instance'
import { allVisits } from '../db/visits'
import { useLiveQuery } from '../db/useLiveQuery'
import { useRegisterStore } from './register'
import { useSettingsStore } from './settings'

/** The worker's today list: every household on the device (the server only sends a worker the
 *  households of their own grid cells) sorted into overdue / due today / due this week by the
 *  community's visit rules, grouped building → unit so it can be walked. */
export const useTodayStore = defineStore('today', () => {
  const register = useRegisterStore()
  const settings = useSettingsStore()

  // One read and one pass over all visits per change to the visits table.
  const lastVisits = useLiveQuery<Map<string, VisitHistory> | null>(async () => visitHistories(await allVisits(db)), null, undefined, { wholeTables: true })
  /** False until the visits are read: before that every household would look never visited. */
  const ready = computed(() => lastVisits.value !== null)

  // The list changes with the calendar day, not with the clock: move "now" only at midnight.
  const now = ref(Date.now())
  function refresh(): void {
    const t = Date.now()
    if (dayOfInstant(t) !== dayOfInstant(now.value)) now.value = t
  }
  const timer = setInterval(refresh, 60_000)
  // A phone asleep overnight runs no timers: check again as soon as the app is looked at.
  globalThis.document?.addEventListener('visibilitychange', refresh)
  onScopeDispose(() => {
    clearInterval(timer)
    globalThis.document?.removeEventListener('visibilitychange', refresh)
  })

  const list = computed(() => buildTodayList(lastVisits.value ? register.households : [], lastVisits.value ?? new Map(), settings.visitRules, now.value))
  const groups = computed(() => groupTodayList(list.value, register.buildingById))
  const counts = computed(() => groups.value.counts)
  /** Per grid cell: late households and, of them, never visited (the dashboard's figures). */
  const lateCounts = computed(() => lateByGrid(list.value))

  return { ready, list, groups, counts, lateByGrid: lateCounts, now, refresh }
})
