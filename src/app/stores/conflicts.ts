import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { ConflictItem, ConflictListResponse, ConflictNotice, SettleConflictRequest } from '../../domain/schemas/conflicts'
import { getMeta, setMeta } from '../db/database'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { fetchConflicts, fetchMyConflicts, settleConflict } from '../api/conflicts'
import { errorText } from '../i18n/errorText'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'

/** Meta keys: the last notices the server gave this user; the ones they dismissed. */
const NOTICES = 'conflictNotices'
const DISMISSED = 'conflictNoticesDismissed'
/** A phone opening household after household asks the server at most this often. */
const NOTICES_EVERY_MS = 60_000
const PAGE = 100

/** A notice is dismissed for the state it was in: one dismissed while open comes back once
 *  the office has decided (that is news). */
export const noticeKey = (n: Pick<ConflictNotice, 'id' | 'settled'>) => `${n.id}:${n.settled ? 'settled' : 'open'}`

/** Household fields two people changed at once. The office's list and settling are online only,
 *  like the other office pages; a worker's own values that did not stand are kept on the phone
 *  (wiped with everything else at logout) so the household page can say so offline. */
export const useConflictsStore = defineStore('conflicts', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const client = { getToken: () => session.token }
  const online = computed(() => sync.online)
  const isOffice = computed(() => session.user?.role === 'secretary' || session.user?.role === 'admin')

  // ---- the office's list ----
  const items = ref<ConflictItem[]>([])
  const total = ref(0)
  /** Open conflicts in the community; null until the server said. */
  const openCount = ref<number | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  function take(r: ConflictListResponse): void {
    items.value = r.conflicts
    total.value = r.total
    openCount.value = r.open
  }

  /** Open ones first, then the latest settled. */
  async function load(): Promise<void> {
    error.value = null
    if (!online.value) return
    loading.value = true
    try {
      take(await fetchConflicts(client, { limit: PAGE }))
    } catch (err) {
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }

  /** Just the open count, for the secretary's home. Silent when offline or refused. */
  async function refreshCount(): Promise<void> {
    if (!online.value || !isOffice.value) return
    try {
      openCount.value = (await fetchConflicts(client, { state: 'open', limit: 1 })).open
    } catch {
      // The home page shows no count rather than an error about a side figure.
    }
  }

  /** Settles one; the list is read again (open conflicts of the same field settle with it).
   *  Throws the server's refusal (ApiFailure) for the page to show by the conflict. */
  async function settle(id: number, req: SettleConflictRequest): Promise<ConflictItem> {
    const item = await settleConflict(client, id, req)
    const i = items.value.findIndex((c) => c.id === id)
    if (i >= 0) items.value.splice(i, 1, item)
    await load()
    return item
  }

  // ---- a user's own values that did not stand ----
  const notices = useLiveQuery(async () => (await getMeta<ConflictNotice[]>(db, NOTICES)) ?? [], [] as ConflictNotice[])
  const dismissed = useLiveQuery(async () => new Set((await getMeta<string[]>(db, DISMISSED)) ?? []), new Set<string>())
  let lastAsked = 0

  /** Asks the server (online; at most once a minute unless forced) and keeps the answer. */
  async function refreshNotices(force = false): Promise<void> {
    if (!online.value || !session.token) return
    if (!force && Date.now() - lastAsked < NOTICES_EVERY_MS) return
    lastAsked = Date.now()
    try {
      const fresh = await fetchMyConflicts(client)
      await setMeta(db, NOTICES, fresh)
      // Forget dismissals of notices the server no longer sends: the list stays small.
      const keys = new Set(fresh.map(noticeKey))
      const kept = [...dismissed.value].filter((k) => keys.has(k))
      if (kept.length !== dismissed.value.size) await setMeta(db, DISMISSED, kept)
    } catch {
      // Offline or refused: the notices already on the phone stay shown.
      lastAsked = 0
    }
  }

  /** The notices of one household that the user has not dismissed. */
  function noticesFor(householdId: string): ConflictNotice[] {
    return notices.value.filter((n) => n.householdId === householdId && !dismissed.value.has(noticeKey(n)))
  }

  async function dismiss(n: ConflictNotice): Promise<void> {
    await setMeta(db, DISMISSED, [...new Set([...dismissed.value, noticeKey(n)])])
  }

  // Each good sync may have brought a settlement: ask then too (not more than once a minute).
  watch(
    () => sync.status.lastSyncAt,
    () => void refreshNotices(),
  )

  return { online, isOffice, items, total, openCount, loading, error, load, refreshCount, settle, notices, refreshNotices, noticesFor, dismiss }
})
