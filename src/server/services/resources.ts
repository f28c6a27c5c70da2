import type { Transaction } from 'kysely'
import { Resource, ResourceCreate, ResourcePatch } from '../../domain'
import { AppError } from '../appError'
import { findListRow, liveListRows, putResource } from '../store/lists'
import { getRecord } from '../store/records'
import type { Database } from '../store/schema'
import { assertListManager, parseList } from './lists'
import type { MutationHandler } from './mutationHandler'

// 资源清单: 驻区单位, the community's teams and volunteers, each with the services it offers (those
// on the menu are what a worker may order at the door). Kept by the office; every device pulls
// them, a worker's with a volunteer's contact data masked (pull.ts, listRules.volunteerCopy).

type Trx = Transaction<Database>

/** What a resource names must exist: the handling team it is, the resident a volunteer is; and an
 *  offer's id must be its own (an order names the offer alone). */
async function checkReferences(trx: Trx, r: Resource | ResourceCreate): Promise<void> {
  if (r.teamId) {
    const team = await getRecord(trx, 'team', r.teamId)
    if (!team || team.deleted) throw new AppError('NOT_FOUND', '找不到关联的处置团队')
  }
  const residentId = r.volunteer?.residentId
  if (residentId) {
    const resident = await getRecord(trx, 'resident', residentId)
    if (!resident || resident.deleted) throw new AppError('NOT_FOUND', '找不到这位志愿者在台账上的居民记录')
  }
  if (!r.offers.length) return
  const mine = new Set(r.offers.map((o) => o.id))
  for (const d of await liveListRows(trx, 'resources')) {
    const other = d as Resource
    if (other.id === r.id) continue
    const clash = other.offers.find((o) => mine.has(o.id))
    if (clash) throw new AppError('ID_TAKEN', `服务「${clash.title}」的编号已被「${other.name}」使用`)
  }
}

/** resource:create (office). */
export const createResource: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '资源清单')
  const input = parseList(ResourceCreate, m.data, '资源')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '资源编号与提交编号不一致')
  if (await findListRow(trx, 'resources', input.id)) throw new AppError('ID_TAKEN', '这项资源的编号已被占用')
  await checkReferences(trx, input)
  const resource = parseList(Resource, { ...input, active: true, createdBy: user.id, createdAt: now, updatedAt: now } satisfies Resource, '资源')
  return { status: 'applied', version: await putResource(trx, resource) }
}

/** resource:patch (office): the fields given replace the record's; `active: false` retires it
 *  (needs and projects keep naming it; it takes no new match or order). */
export const patchResource: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '资源清单')
  const patch = parseList(ResourcePatch, m.data, '资源的修改')
  const row = await findListRow(trx, 'resources', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这项资源')
  const next = parseList(Resource, { ...Resource.parse(row.data), ...patch, updatedAt: now }, '资源')
  await checkReferences(trx, next)
  return { status: 'applied', version: await putResource(trx, next) }
}
