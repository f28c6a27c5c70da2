import type { Transaction } from 'kysely'
import {
  actorOf,
  Case,
  CaseReport,
  CaseTransition,
  checkTransition,
  DEFAULT_SETTINGS,
  Settings,
  SETTINGS_ID,
  type CaseStep,
  type Team,
  uuidv7,
} from '../../domain'
import { AppError, parseWith } from '../appError'
import { insertRecord, putRecord } from '../store/recordWrites'
import { householdCells } from '../store/households'
import { getRecord } from '../store/records'
import { householdsOfResidents } from '../store/residents'
import type { Database } from '../store/schema'
import { referAttachments, requireReadablePhotos } from './attachments'
import type { SessionUser } from './auth'
import type { MutationHandler } from './mutationHandler'
import { assertGridAssignedAt, isCommunityWide } from './scope'
import { requireReadableVisit } from './visits'

async function insertStep(trx: Transaction<Database>, step: CaseStep): Promise<number> {
  const version = await insertRecord(trx, 'case_steps', { id: step.id, gridId: step.gridId, householdId: null }, step, { case_id: step.caseId })
  await referAttachments(trx, step.photoIds, 'caseStep', step.id, step.gridId)
  return version
}

function saveCase(trx: Transaction<Database>, c: Case, isNew: boolean): Promise<number> {
  return (isNew ? insertRecord : putRecord)(trx, 'cases', { id: c.id, gridId: c.gridId, householdId: c.householdIds[0] ?? null }, c, { state: c.state, reported_at: c.reportedAt })
}

/** 上报: a worker (or the office) reports a dispute, need or hazard. */
export const createCase: MutationHandler = async (trx, user, m, now) => {
  const report = parseWith(CaseReport, m.data, '上报的问题')
  if (report.id !== m.id) throw new AppError('VALIDATION_FAILED', '问题编号与提交编号不一致')
  if (await getRecord(trx, 'case', report.id)) throw new AppError('ID_TAKEN', '这个问题的编号已被占用')
  if (!(await getRecord(trx, 'gridCell', report.gridId))) throw new AppError('NOT_FOUND', '找不到这个网格')
  await assertGridAssignedAt(trx, user, report.gridId, report.reportedAt)

  if (report.householdIds.length) {
    const rows = await householdCells(trx, report.householdIds)
    // A worker's parties come from the case's own grid cell; another cell's household answers
    // as an unknown one would (referring to a record is reading it).
    const usable = isCommunityWide(user) ? rows : rows.filter((r) => r.gridId === report.gridId)
    if (usable.length !== new Set(report.householdIds).size) throw new AppError('NOT_FOUND', '当事人里有找不到的户')
  }
  if (report.residentIds.length) {
    const rows = await householdsOfResidents(trx, report.residentIds)
    if (rows.length !== new Set(report.residentIds).size || rows.some((r) => !report.householdIds.includes(r.householdId ?? '')))
      throw new AppError('VALIDATION_FAILED', '当事人里的居民要属于所选的户')
  }
  if (report.visitId) await requireReadableVisit(trx, user, report.visitId, '找不到关联的走访记录')
  await requireReadablePhotos(trx, user, report.photoIds)

  const c: Case = { ...report, reporterId: user.id, state: 'reported', handlerTeamId: null, deadline: null, updatedAt: now }
  const version = await saveCase(trx, c, true)
  await referAttachments(trx, c.photoIds, 'case', c.id, c.gridId)
  await insertStep(trx, {
    id: uuidv7(),
    caseId: c.id,
    gridId: c.gridId,
    action: 'report',
    from: null,
    to: 'reported',
    actorId: user.id,
    actorName: user.name,
    at: c.reportedAt,
    note: '',
    handlerTeamId: null,
    deadline: null,
    visitId: c.visitId,
    photoIds: [],
  })
  return { status: 'applied', version }
}

async function settingsOf(trx: Transaction<Database>): Promise<Settings> {
  const row = await getRecord(trx, 'settings', SETTINGS_ID)
  return row ? Settings.parse(row.data) : DEFAULT_SETTINGS
}

/** One step of the closed loop, checked against the state machine in src/domain. */
export const transitionCase: MutationHandler = async (trx, user, m, now) => {
  const input = parseWith(CaseTransition, m.data, '案件操作')
  return { status: 'applied', version: (await stepCase(trx, user, m.id, input, now)).version }
}

/** A case moved one step by this user, the step written to its history: the device's mutation,
 *  or the street's answer to what was escalated to it (street.ts). */
export async function stepCase(trx: Transaction<Database>, user: SessionUser, caseId: string, input: CaseTransition, now: string): Promise<{ version: number; state: Case['state'] }> {
  const row = await getRecord(trx, 'case', caseId)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这个问题')
  const current = Case.parse(row.data)
  const actor = actorOf(user.role, isCommunityWide(user) || user.gridIds.includes(current.gridId))
  if (!actor && user.role === 'worker') throw new AppError('OUT_OF_SCOPE', '这个问题不在你负责的网格里')

  const check = checkTransition(current.state, input.action, actor, { note: input.note, handlerTeamId: input.handlerTeamId })
  if (!check.ok) throw new AppError(check.code, check.message)

  if (await getRecord(trx, 'caseStep', input.stepId)) throw new AppError('ID_TAKEN', '这一步的编号已被占用')
  await requireReadablePhotos(trx, user, input.photoIds)
  if (input.visitId) await requireReadableVisit(trx, user, input.visitId, '找不到回访的走访记录')

  const next: Case = { ...current, state: check.to, updatedAt: now }
  let deadline: string | null = null
  if (input.action === 'assign') {
    const team = await getRecord(trx, 'team', input.handlerTeamId!)
    if (!team || !(team.data as Team).active) throw new AppError('NOT_FOUND', '找不到这个处置单位')
    const days = (await settingsOf(trx)).caseDeadlines.defaultHandlingDays
    deadline = input.deadline ?? new Date(Date.parse(now) + days * 86_400_000).toISOString()
    next.handlerTeamId = input.handlerTeamId
    next.deadline = deadline
  }
  // Back with the community: its office assigns it again, to a team and a new deadline; the
  // old ones ran out while the street had it.
  if (input.action === 'hand_back') {
    next.handlerTeamId = null
    next.deadline = null
  }
  const version = await saveCase(trx, next, false)
  await insertStep(trx, {
    id: input.stepId,
    caseId: current.id,
    gridId: current.gridId,
    action: input.action,
    from: current.state,
    to: check.to,
    actorId: user.id,
    actorName: user.name,
    at: input.at,
    note: input.note,
    handlerTeamId: input.action === 'assign' ? input.handlerTeamId : null,
    deadline,
    visitId: input.visitId,
    photoIds: input.photoIds,
  })
  return { version, state: check.to }
}

