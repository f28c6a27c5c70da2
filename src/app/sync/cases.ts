import type { Case, CaseAction, CaseDeadlines, CaseStep, User } from '../../domain'
import { actorOf, checkTransition } from '../../domain/caseFlow'
import { uuidv7 } from '../../domain/ids'
import type { OutboxRow, ZoufangDb } from '../db/database'
import { transitionLocal } from './outbox'
import { loadSchemas } from './schemas'
import { LocalError } from '../i18n/localError'

export type Action = Exclude<CaseAction, 'report'>

export interface TransitionInput {
  note?: string
  handlerTeamId?: string | null
  deadline?: string | null
  visitId?: string | null
  photoIds?: string[]
}

/** Checks a step against the state machine, then shows it on the device at once (new state, new
 *  step in the history) and queues it. Throws with the reason when it is not possible from here. */
export async function queueTransition(
  db: ZoufangDb,
  user: Pick<User, 'id' | 'name' | 'role' | 'gridIds'>,
  caseId: string,
  action: Action,
  input: TransitionInput,
  deadlines: CaseDeadlines,
  now = new Date(),
): Promise<OutboxRow> {
  const c = await db.cases.get(caseId)
  if (!c) throw new LocalError('caseMissing')
  const actor = actorOf(user.role, user.gridIds.includes(c.gridId))
  const check = checkTransition(c.state, action, actor, { note: input.note ?? '', handlerTeamId: input.handlerTeamId ?? null })
  if (!check.ok) throw new LocalError('notPossible', {}, check.message)
  const at = now.toISOString()
  const { CaseTransition } = await loadSchemas()
  const data = CaseTransition.parse({
    stepId: uuidv7(now.getTime()),
    action,
    note: input.note ?? '',
    handlerTeamId: action === 'assign' ? (input.handlerTeamId ?? null) : null,
    deadline: action === 'assign' ? (input.deadline ?? null) : null,
    visitId: input.visitId ?? null,
    photoIds: input.photoIds ?? [],
    at,
  })
  // Shown until the server answers with its own (final) deadline.
  const deadline = action === 'assign' ? (data.deadline ?? new Date(now.getTime() + deadlines.defaultHandlingDays * 86_400_000).toISOString()) : null
  const step: CaseStep = {
    id: data.stepId,
    caseId,
    gridId: c.gridId,
    action,
    from: c.state,
    to: check.to,
    actorId: user.id,
    actorName: user.name,
    at,
    note: data.note,
    handlerTeamId: data.handlerTeamId,
    deadline,
    visitId: data.visitId,
    photoIds: data.photoIds,
  }
  const changes: Partial<Case> = { state: check.to, updatedAt: at, ...(action === 'assign' ? { handlerTeamId: data.handlerTeamId, deadline } : {}) }
  return transitionLocal(db, caseId, step, changes, data as unknown as Record<string, unknown>, now)
}
