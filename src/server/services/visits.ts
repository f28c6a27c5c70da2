import { checkAnswers, ChecklistTemplate, Household, type Mutation, templateAt, Visit } from '../../domain'
import { reached } from '../../domain/campaignProgress'
import { AppError, parseWith } from '../appError'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { referAttachments, requireReadablePhotos } from './attachments'
import { checkCampaignVisit } from './campaigns'
import { type ExtraColumns, insertRecords, type RecordPlace } from '../store/recordWrites'
import { getRecord } from '../store/records'
import { residentIdsOf } from '../store/residents'
import type { MutationHandler } from './mutationHandler'
import { assertGridAssignedAt, gridInScope } from './scope'

type Db = Kysely<Database> | Transaction<Database>

/** A visit's record as it will be stored, once every check has passed: what a push writes. */
export interface PreparedVisit {
  visit: Visit
  place: RecordPlace
  extra: ExtraColumns<'visits'>
}

/** Every check a visit's create makes but the id's, reading only: the household, the worker's
 *  cell at the visit's time, the residents met, the checklist answers against the version filled
 *  in, the campaign, the photos. Safe to run before the push takes the community's write lock
 *  (services/push.ts): a visit is a new, append-only record, so a change committed between these
 *  reads and the write only makes the visit as if it had arrived a moment earlier. The one thing
 *  a concurrent writer could take, the id, only the writer can check, under the lock: by then a
 *  resend of the same mutation through another connection shows as `duplicate`, not as a taken id. */
export async function prepareVisit(db: Db, user: SessionUser, m: Mutation): Promise<PreparedVisit> {
  const visit = parseWith(Visit, m.data, '走访记录')
  if (visit.id !== m.id) throw new AppError('VALIDATION_FAILED', '走访记录编号与提交编号不一致')

  const householdRow = await getRecord(db, 'household', visit.householdId)
  if (!householdRow || householdRow.deleted) throw new AppError('NOT_FOUND', '找不到这一户，可能已被删除')
  const household = Household.parse(householdRow.data)
  // Stored and compared in UTC: a device may send an offset (+08:00), and instants compare as text.
  const startedAtUtc = new Date(visit.startedAt).toISOString()
  await assertGridAssignedAt(db, user, household.gridId, startedAtUtc)

  if (Date.parse(visit.startedAt) > Date.now() + 24 * 3600_000)
    throw new AppError('VALIDATION_FAILED', '走访时间在将来，请检查手机时间')

  if (visit.residentIds.length) {
    const members = new Set(await residentIdsOf(db, household.id))
    if (visit.residentIds.some((id) => !members.has(id)))
      throw new AppError('VALIDATION_FAILED', '见到的居民不是这一户的成员')
  }

  if (visit.templateId) {
    const t = await getRecord(db, 'checklistTemplate', visit.templateId)
    if (!t) throw new AppError('NOT_FOUND', '找不到这份走访清单')
    // Answers are checked against the version the visit was filled with (an offline phone may
    // still hold an older version than the server's current one).
    const template = templateAt(ChecklistTemplate.parse(t.data), visit.templateVersion!)
    if (!template) throw new AppError('VALIDATION_FAILED', `走访清单没有第${visit.templateVersion}版`)
    const problems = checkAnswers(template, visit.answers, { required: reached(visit) })
    if (problems.length)
      throw new AppError('VALIDATION_FAILED', `清单填写有误：${problems[0]!.message}`, { issues: problems })
  }

  if (visit.campaignId !== undefined) await checkCampaignVisit(db, visit)

  await requireReadablePhotos(db, user, visit.photoIds)

  // The server decides who and where: the actor is the token's user, the grid is the household's.
  const stored: Visit = { ...visit, workerId: user.id, gridId: household.gridId }
  return {
    visit: stored,
    place: { id: stored.id, gridId: stored.gridId, householdId: stored.householdId },
    extra: {
      worker_id: stored.workerId,
      started_at: startedAtUtc,
      outcome: stored.outcome,
      follow_up_date: stored.followUpDate,
      campaign_id: stored.campaignId ?? null,
    },
  }
}

export const VISIT_ID_TAKEN = '这条走访记录的编号已被占用'

/** Writes prepared visits in one go, under the push's lock: the versions in one step of the
 *  change sequence, the rows in one insert, then which photos they show. */
export async function writeVisits(trx: Transaction<Database>, visits: readonly PreparedVisit[]): Promise<number[]> {
  const versions = await insertRecords(trx, 'visits', visits.map((p) => ({ place: p.place, data: p.visit, extra: p.extra })))
  for (const p of visits) await referAttachments(trx, p.visit.photoIds, 'visit', p.visit.id, p.visit.gridId)
  return versions
}

/** A visit is append-only: created once, never patched. */
export const createVisit: MutationHandler = async (trx, user, m) => {
  const prepared = await prepareVisit(trx, user, m)
  if (await getRecord(trx, 'visit', prepared.visit.id)) throw new AppError('ID_TAKEN', VISIT_ID_TAKEN)
  const [version] = await writeVisits(trx, [prepared])
  return { status: 'applied', version: version! }
}

/** A record may point at a visit (a case reported from it, a verification visit) only if its
 *  author may read that visit: the office, a worker of its grid cell now, or the worker who made
 *  it. Another cell's visit answers as an unknown one would, so ids cannot be probed. */
export async function requireReadableVisit(trx: Transaction<Database>, user: SessionUser, visitId: string, notFound: string): Promise<void> {
  const row = await getRecord(trx, 'visit', visitId)
  const readable =
    row !== null &&
    !row.deleted &&
    (gridInScope(user, row.gridId) || (row.data as { workerId?: unknown }).workerId === user.id)
  if (!readable) throw new AppError('NOT_FOUND', notFound)
}
