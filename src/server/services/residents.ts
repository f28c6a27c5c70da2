import type { Transaction } from 'kysely'
import {
  chinaDay,
  Household,
  householdHeadName,
  memberNames,
  Resident,
  ResidentCreate,
  ResidentPatch,
  residentStatusProblem,
} from '../../domain'
import { pinyinKey } from '../../domain/pinyinKey'
import { AppError, parseWith } from '../appError'
import { nextVersion } from '../store/counters'
import { getRecord } from '../store/records'
import { insertResident, residentsOf } from '../store/residents'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { writeFieldPatch } from './fieldPatch'
import type { MutationHandler } from './mutationHandler'
import { assertGridInScope, tagsAfterEdit } from './scope'

// Residents changed at the door: added (a newborn, a new tenant), moved out, died, a new phone.
// Scope is the household's grid cell. ID numbers are the admin's, with the register (PIPL:
// collected once, revealed audited), and 政法 tags the office's (scope.ts).

/** A device that sends an ID number is told plainly, not "unknown field". */
function refuseIdNumber(data: Record<string, unknown>): void {
  if ('idNumber' in data || (data.idMasked !== undefined && data.idMasked !== null))
    throw new AppError('FORBIDDEN', '身份证号只能由管理员在台账里登记或修改')
}

/** The day a move or death may have happened by: today in China, with an hour for a phone's
 *  clock running ahead. */
const latestDay = (now: string) => chinaDay(Date.parse(now) + 3600_000)

async function householdInScope(trx: Transaction<Database>, user: SessionUser, householdId: string) {
  const row = await getRecord(trx, 'household', householdId)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这一户，可能已被删除')
  const household = Household.parse(row.data)
  assertGridInScope(user, household.gridId)
  return { household, version: row.version }
}

/** resident:create — someone new in a household. */
export const createResident: MutationHandler = async (trx, user, m, now, deviceId) => {
  refuseIdNumber(m.data)
  const input = parseWith(ResidentCreate.strict(), m.data, '新增居民')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '居民编号与提交编号不一致')
  const { household } = await householdInScope(trx, user, input.householdId)
  if (await getRecord(trx, 'resident', input.id)) throw new AppError('ID_TAKEN', '这位居民的编号已被占用')
  const problem = residentStatusProblem(input, latestDay(now))
  if (problem) throw new AppError('VALIDATION_FAILED', problem)

  // The server decides where: the household's grid cell.
  const resident: Resident = { ...input, gridId: household.gridId, idMasked: null, tags: tagsAfterEdit(user, [], input.tags) }
  const version = await nextVersion(trx)
  await insertResident(trx, resident, version)
  await refreshHouseholdNames(trx, user, household.id, m.mutationId, now, deviceId)
  return { status: 'applied', version }
}

/** resident:patch — field-level like a household's: the phone, moving out, dying (or undoing a
 *  mistaken one). */
export const patchResident: MutationHandler = async (trx, user, m, now, deviceId) => {
  refuseIdNumber(m.data)
  const patch = parseWith(ResidentPatch.strict(), m.data, '居民信息修改')
  const row = await getRecord(trx, 'resident', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这位居民，可能已被删除')
  const current = Resident.parse(row.data)
  await householdInScope(trx, user, current.householdId)

  const next: Resident = { ...current }
  for (const [field, value] of Object.entries(patch)) if (value !== undefined) (next as Record<string, unknown>)[field] = value
  // A status comes with its own day and destination: those it does not send are cleared, not
  // kept from an earlier one (undoing a move clears its day; a death has no destination).
  if (patch.status !== undefined) {
    if (patch.statusDate === undefined) next.statusDate = null
    if (patch.movedTo === undefined) next.movedTo = null
  }
  const problem = residentStatusProblem(next, latestDay(now))
  if (problem) throw new AppError('VALIDATION_FAILED', problem)

  const { status, version, changed } = await writeFieldPatch(trx, { table: 'residents', entity: 'resident', id: m.id, version: row.version, current, next, user, m, now, deviceId })
  if (changed.includes('status')) await refreshHouseholdNames(trx, user, current.householdId, m.mutationId, now, deviceId)
  return { status, version }
}

/** The household's head name and search key follow who lives there (householdMembers.ts),
 *  recomputed here where the change is written: the device has no pinyin library. Derived
 *  fields never conflict with anyone's edit. */
export async function refreshHouseholdNames(trx: Transaction<Database>, user: SessionUser, householdId: string, mutationId: string, now: string, deviceId: string) {
  const row = await getRecord(trx, 'household', householdId)
  if (!row) return
  const current = Household.parse(row.data)
  const residents = (await residentsOf(trx, householdId)).map((r) => Resident.parse(r))
  const next: Household = { ...current, headName: householdHeadName(residents), searchKey: pinyinKey(memberNames(residents)).slice(0, 2000) }
  await writeFieldPatch(trx, { table: 'households', entity: 'household', id: householdId, version: row.version, current, next, user, m: { mutationId }, now, deviceId })
}
