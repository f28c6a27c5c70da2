import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, type Ref } from 'vue'
import type { Case, CaseReport, Comment } from '../../domain'
import { actorOf, availableActions, caseCard } from '../../domain/caseFlow'
import { uuidv7 } from '../../domain/ids'
import { DEFAULT_SETTINGS, SETTINGS_ID } from '../../domain/settingsDefaults'
import { loadSchemas } from '../sync/schemas'
import { db } from '../db/instance'
import { findVisit } from '../db/visits'
import { useLiveQuery } from '../db/useLiveQuery'
import { queueTransition, type Action, type TransitionInput } from '../sync/cases'
import { createLocal } from '../sync/outbox'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

export type { Action, TransitionInput }

const CARD_ORDER = { red: 0, yellow: 1, none: 2 } as const

/** Cases, their steps and the secretary's comments, as the device holds them. Every change is
 *  saved on the device at once and queued; the state machine is checked here to offer only
 *  possible actions, and again by the server, whose answer is final. */
export const useCasesStore = defineStore('cases', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const cases = useLiveQuery(() => db.cases.toArray(), [] as Case[], undefined, { wholeTables: true })
  const teams = useLiveQuery(() => db.teams.toArray(), [], undefined, { wholeTables: true })
  const settings = useLiveQuery(async () => (await db.settings.get(SETTINGS_ID)) ?? DEFAULT_SETTINGS, DEFAULT_SETTINGS)
  // Cards turn yellow and red while a page stays open: time is a dependency too.
  const clock = ref(Date.now())
  // Stopped with the store (a test's pinia, a logout that disposes it): no timer left behind.
  const timer = typeof window !== 'undefined' ? setInterval(() => (clock.value = Date.now()), 60_000) : undefined
  onScopeDispose(() => clearInterval(timer))
  const now = () => clock.value

  function cardOf(c: Case) {
    return caseCard(c, now(), settings.value.caseDeadlines)
  }

  /** Open cases, overdue first (red, then yellow), then by due time, then newest. */
  const open = computed(() =>
    cases.value
      .filter((c) => c.state !== 'closed')
      .map((c) => ({ c, ...cardOf(c) }))
      .sort(
        (a, b) =>
          CARD_ORDER[a.card] - CARD_ORDER[b.card] ||
          (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) ||
          b.c.reportedAt.localeCompare(a.c.reportedAt),
      ),
  )

  function actorFor(c: Pick<Case, 'gridId'>) {
    const user = session.user
    if (!user) return null
    return actorOf(user.role, user.gridIds.includes(c.gridId))
  }

  function actionsFor(c: Case): Action[] {
    return availableActions(c.state, actorFor(c))
  }

  /** 上报: saved on the device at once, with or without a connection. */
  async function report(input: Omit<CaseReport, 'id' | 'reporterId' | 'reportedAt'>): Promise<Case> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    const at = new Date().toISOString()
    const { CaseReport } = await loadSchemas()
    const reportData = CaseReport.parse({ ...input, id: uuidv7(), reporterId: user.id, reportedAt: at })
    const c: Case = { ...reportData, state: 'reported', handlerTeamId: null, deadline: null, updatedAt: at }
    await createLocal(db, 'case', c)
    sync.saved()
    return c
  }

  /** One step of the loop. Throws with the reason when the step is not possible from here. */
  async function transition(caseId: string, action: Action, input: TransitionInput = {}): Promise<void> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    await queueTransition(db, user, caseId, action, input, settings.value.caseDeadlines)
    sync.saved()
  }

  /** 点评 on a visit log (secretary, admin). */
  async function comment(visitId: string, householdId: string, text: string): Promise<void> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    const visit = await findVisit(db, visitId, householdId)
    if (!visit) throw new LocalError('visitMissing')
    const { CommentCreate } = await loadSchemas()
    const parsed = CommentCreate.safeParse({ id: uuidv7(), visitId, text, at: new Date().toISOString() })
    if (!parsed.success) throw new LocalError('invalid', {}, parsed.error.issues[0]?.message)
    const input = parsed.data
    const c: Comment = { ...input, gridId: visit.gridId, authorId: user.id, authorName: user.name }
    await createLocal(db, 'comment', c)
    sync.saved()
  }

  return { cases, teams, settings, open, cardOf, actionsFor, actorFor, report, transition, comment }
})

/** One case with its steps in order, live. */
export function useCaseDetail(id: Ref<string>) {
  const kase = useLiveQuery(() => db.cases.get(id.value), undefined, id)
  const steps = useLiveQuery(async () => (await db.caseSteps.where('caseId').equals(id.value).toArray()).sort((a, b) => a.at.localeCompare(b.at)), [], id)
  return { kase, steps }
}

/** Comments on the visits of one household, by visit id, live. */
export function useVisitComments(visitIds: Ref<string[]>) {
  return useLiveQuery(async () => {
    const rows = await db.comments.where('visitId').anyOf(visitIds.value).toArray()
    const map = new Map<string, Comment[]>()
    for (const r of rows.sort((a, b) => a.at.localeCompare(b.at))) map.set(r.visitId, [...(map.get(r.visitId) ?? []), r])
    return map
  }, new Map<string, Comment[]>(), visitIds)
}
