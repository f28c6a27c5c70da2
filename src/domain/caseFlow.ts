import type { Role } from './schemas/user'
import type { Case, CaseAction, CaseState, CaseKind, Urgency } from './schemas/case'
import type { CaseDeadlines } from './schemas/settings'
import { ACTION_LABEL_EN, STATE_LABEL_EN } from './labels'
import { say } from './language'
import { isStreetRole } from './roles'

// The closed loop (问题闭环流转) as data: who may move a case from where to where, and what they
// must give. The app uses it to offer only possible actions; the server enforces it, and its
// answer is final.

/** 'grid_worker': a worker assigned to the case's grid cell; 'street': the street office's staff
 *  (街道), who act only on what a community escalated to them. */
export type CaseActor = 'secretary' | 'admin' | 'grid_worker' | 'street'
type Needs = 'note' | 'handlerTeamId'

interface Rule {
  from: readonly CaseState[]
  to: CaseState
  by: readonly CaseActor[]
  needs?: readonly Needs[]
}

const OFFICE: readonly CaseActor[] = ['secretary', 'admin']

export const CASE_FLOW: Record<Exclude<CaseAction, 'report'>, Rule> = {
  accept: { from: ['reported'], to: 'accepted', by: OFFICE },
  return: { from: ['reported', 'accepted'], to: 'returned', by: OFFICE, needs: ['note'] },
  resubmit: { from: ['returned'], to: 'reported', by: ['grid_worker'] },
  assign: { from: ['accepted', 'assigned'], to: 'assigned', by: OFFICE, needs: ['handlerTeamId'] },
  start: { from: ['assigned'], to: 'in_progress', by: [...OFFICE, 'grid_worker'] },
  resolve: { from: ['in_progress', 'escalated'], to: 'resolved', by: [...OFFICE, 'grid_worker'], needs: ['note'] },
  escalate: { from: ['accepted', 'assigned', 'in_progress'], to: 'escalated', by: OFFICE, needs: ['note'] },
  // The street answers what was escalated to it: it solved it (the grid worker still goes back
  // and checks), or it hands it back to the community with what to do. The office can still
  // record a result the street gave by phone (resolve).
  street_resolve: { from: ['escalated'], to: 'resolved', by: ['street'], needs: ['note'] },
  hand_back: { from: ['escalated'], to: 'accepted', by: ['street'], needs: ['note'] },
  // 谁调处谁回访: the grid worker goes back and checks the result.
  verify: { from: ['resolved'], to: 'verified', by: ['grid_worker'], needs: ['note'] },
  reject_verification: { from: ['resolved'], to: 'in_progress', by: ['grid_worker'], needs: ['note'] },
  close: { from: ['verified'], to: 'closed', by: OFFICE },
}

export const STATE_LABEL_ZH: Record<CaseState, string> = {
  reported: '上报',
  accepted: '受理',
  assigned: '分派',
  in_progress: '处置',
  resolved: '办结',
  verified: '核查',
  closed: '结案',
  returned: '回退',
  escalated: '上报街道',
}

export const ACTION_LABEL_ZH: Record<CaseAction, string> = {
  report: '上报',
  accept: '受理',
  return: '回退',
  resubmit: '重新上报',
  assign: '分派',
  start: '开始处置',
  resolve: '办结',
  escalate: '上报街道',
  street_resolve: '街道办结',
  hand_back: '交回社区',
  verify: '回访核查',
  reject_verification: '核查未通过',
  close: '结案',
}

const ACTOR_LABEL_ZH: Record<CaseActor, string> = { secretary: '社区书记', admin: '管理员', grid_worker: '本网格网格员', street: '街道' }
const ACTOR_LABEL_EN: Record<CaseActor, string> = { secretary: 'the community secretary', admin: 'an administrator', grid_worker: "the cell's grid worker", street: 'the street office' }

/** "a, b or c", as English lists who may act. */
const orList = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`)

export function actorOf(role: Role, inGrid: boolean): CaseActor | null {
  if (role === 'secretary' || role === 'admin') return role
  if (isStreetRole(role)) return 'street'
  return inGrid ? 'grid_worker' : null
}

export type TransitionCheck = { ok: true; to: CaseState } | { ok: false; code: 'INVALID_TRANSITION' | 'FORBIDDEN' | 'VALIDATION_FAILED'; message: string }

/** May this actor do this action on a case in this state, with this input? With the reason if not. */
export function checkTransition(
  state: CaseState,
  action: Exclude<CaseAction, 'report'>,
  actor: CaseActor | null,
  input: { note: string; handlerTeamId: string | null },
): TransitionCheck {
  const rule = CASE_FLOW[action]
  if (!rule.from.includes(state))
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      message: say(
        `案件现在是「${STATE_LABEL_ZH[state]}」，不能「${ACTION_LABEL_ZH[action]}」（只能从${rule.from.map((s) => `「${STATE_LABEL_ZH[s]}」`).join('、')}）`,
        `The case is "${STATE_LABEL_EN[state]}" and cannot "${ACTION_LABEL_EN[action]}" (only from ${rule.from.map((s) => `"${STATE_LABEL_EN[s]}"`).join(', ')})`,
      )(),
    }
  if (!actor || !rule.by.includes(actor))
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: say(
        `「${ACTION_LABEL_ZH[action]}」只能由${rule.by.map((a) => ACTOR_LABEL_ZH[a]).join('或')}操作`,
        `Only ${orList(rule.by.map((a) => ACTOR_LABEL_EN[a]))} can "${ACTION_LABEL_EN[action]}"`,
      )(),
    }
  if (rule.needs?.includes('note') && !input.note.trim())
    return { ok: false, code: 'VALIDATION_FAILED', message: say(`「${ACTION_LABEL_ZH[action]}」需要写明理由或结果`, `"${ACTION_LABEL_EN[action]}" needs a reason or result written down`)() }
  if (rule.needs?.includes('handlerTeamId') && !input.handlerTeamId)
    return { ok: false, code: 'VALIDATION_FAILED', message: say('分派时要选一个处置单位', 'To assign, choose a team to handle it')() }
  return { ok: true, to: rule.to }
}

/** The actions an actor could take now: what the app offers as buttons. */
export function availableActions(state: CaseState, actor: CaseActor | null): Array<Exclude<CaseAction, 'report'>> {
  if (!actor) return []
  return (Object.keys(CASE_FLOW) as Array<Exclude<CaseAction, 'report'>>).filter(
    (a) => CASE_FLOW[a].from.includes(state) && CASE_FLOW[a].by.includes(actor),
  )
}

export const OPEN_STATES: readonly CaseState[] = ['reported', 'accepted', 'assigned', 'in_progress', 'resolved', 'verified', 'returned', 'escalated']

export function isOpen(state: CaseState): boolean {
  return state !== 'closed'
}

/** Hours the community has to respond (受理) to a new case. */
export function responseHours(kind: CaseKind, urgency: Urgency, d: CaseDeadlines): number {
  const byUrgency = urgency === 'red' ? d.redHours : urgency === 'yellow' ? d.yellowHours : d.blueHours
  return kind === 'dispute' ? Math.min(byUrgency, d.disputeAcceptHours) : byUrgency
}

export type Card = 'none' | 'yellow' | 'red'

/** 督办: the time a case is waiting on, and how late it is. A yellow card once overdue; a red card
 *  once overdue by as long again as it was given (at most a day). */
export function caseCard(c: Pick<Case, 'kind' | 'urgency' | 'state' | 'reportedAt' | 'deadline' | 'updatedAt'>, now: number, d: CaseDeadlines): { card: Card; dueAt: number | null } {
  let start: number
  let due: number
  if (c.state === 'reported') {
    start = Date.parse(c.reportedAt)
    due = start + responseHours(c.kind, c.urgency, d) * 3600_000
  } else if ((c.state === 'assigned' || c.state === 'in_progress' || c.state === 'escalated' || c.state === 'accepted') && c.deadline) {
    start = Date.parse(c.updatedAt)
    due = Date.parse(c.deadline)
  } else {
    return { card: 'none', dueAt: null }
  }
  if (now <= due) return { card: 'none', dueAt: due }
  const grace = Math.min(Math.max(due - start, 3600_000), 24 * 3600_000)
  return { card: now - due > grace ? 'red' : 'yellow', dueAt: due }
}
