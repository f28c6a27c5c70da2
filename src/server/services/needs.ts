import type { Transaction } from 'kysely'
import {
  applyNeedAction,
  Campaign,
  capacityLeft,
  checkNeedTransition,
  type ListActor,
  Need,
  NeedCreate,
  NeedTransition,
  type Offer,
  offerPeriodOf,
  offerPeriodZh,
  openNeed,
  Resource,
  responseHours,
} from '../../domain'
import { AppError, parseWith } from '../appError'
import { householdCells } from '../store/households'
import { findCampaign } from '../store/campaigns'
import { findListRow, liveListRows, ordersOfOffer, putNeed } from '../store/lists'
import { getRecord } from '../store/records'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { currentSettings, flowRefusal, parseList } from './lists'
import type { MutationHandler } from './mutationHandler'
import { assertGridAssignedAt, isCommunityWide } from './scope'
import { requireReadableVisit } from './visits'

// 需求清单: a worker records a need heard at the door for households of their own cells (offline,
// like a visit); the office records any. A service-menu order (你点我来) is a need that arrives
// matched to the offer's resource, within the offer's capacity for its week or month, with the
// resource's response deadline worked out as a case's is. Every later move is the office's
// (needFlow.ts). The server decides who raised it, where it is, and everything about its state.

type Trx = Transaction<Database>
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** What the device sent the first time, compared with a resend under another mutation id. */
const sentAs = (n: Pick<Need, 'householdIds' | 'description' | 'urgency' | 'source' | 'raisedAt' | 'raisedBy'>) =>
  JSON.stringify([n.householdIds, n.description, n.urgency, n.source, Date.parse(n.raisedAt), n.raisedBy])

/** The offer on the service menu, with its resource; NOT_FOUND when the menu no longer has it. */
async function menuOffer(trx: Trx, offerId: string): Promise<{ resource: Resource; offer: Offer }> {
  for (const d of await liveListRows(trx, 'resources')) {
    const resource = Resource.parse(d)
    const offer = resource.offers.find((o) => o.id === offerId)
    if (!offer) continue
    if (!resource.active || !offer.onMenu) break
    return { resource, offer }
  }
  throw new AppError('NOT_FOUND', '服务菜单上已经没有这项服务了（可能已撤下），没有下单：请换一项服务')
}

/** need:create — recorded on a visit, a campaign answer, by the office, or ordered from the menu. */
export const createNeed: MutationHandler = async (trx, user, m, now) => {
  const input = parseList(NeedCreate, m.data, '需求')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '需求编号与提交编号不一致')
  const sent = { ...input, raisedBy: user.id }
  const existing = await findListRow(trx, 'needs', input.id)
  if (existing) {
    // The same need sent again under another mutation id (an outbox row queued twice, an app
    // reinstalled with its queue restored): it exists once, and nothing is written or counted again.
    if (!existing.deleted && sentAs(Need.parse(existing.data)) === sentAs(sent)) return { status: 'duplicate', version: existing.version }
    throw new AppError('ID_TAKEN', '这条需求的编号已被占用')
  }

  const rows = await householdCells(trx, input.householdIds)
  if (rows.filter((r) => !r.deleted).length !== input.householdIds.length) throw new AppError('NOT_FOUND', '需求涉及的户里有找不到的，可能已从台账撤销')
  const raisedAt = new Date(input.raisedAt).toISOString()
  if (Date.parse(raisedAt) > Date.parse(now) + DAY) throw new AppError('VALIDATION_FAILED', '需求的时间在将来，请检查手机时间')
  // A worker records needs of their own cells' households (accepted when the cell was theirs at
  // the time, as a visit is); the office anywhere. The grid cell is the households', never the device's.
  const cells = [...new Set(rows.map((r) => r.gridId!))]
  for (const cell of cells) await assertGridAssignedAt(trx, user, cell, raisedAt)
  if (cells.length > 1) throw new AppError('VALIDATION_FAILED', '一条需求涉及的户要在同一个网格里：不同网格的户请分开登记')

  const visitOfHousehold = async (visitId: string) => {
    await requireReadableVisit(trx, user, visitId, '找不到关联的走访记录')
    const visit = (await getRecord(trx, 'visit', visitId))!.data as { householdId: string; campaignId?: string }
    if (!input.householdIds.includes(visit.householdId)) throw new AppError('VALIDATION_FAILED', '关联的走访不是这条需求涉及的户的')
    return visit
  }
  const source = input.source
  if (source.kind === 'visit') await visitOfHousehold(source.visitId)
  if (source.kind === 'office' && !isCommunityWide(user))
    throw new AppError('FORBIDDEN', '网格员登记需求要从走访或专项任务里添加，或从服务菜单点单')
  if (source.kind === 'campaign') {
    const row = await findCampaign(trx, source.campaignId)
    const c = row && !row.deleted ? Campaign.parse(row.data) : null
    // A draft is the office's alone: to anyone else it does not exist.
    if (!c || c.status === 'draft') throw new AppError('NOT_FOUND', '找不到这个专项任务，可能已被删除')
    if (source.visitId && (await visitOfHousehold(source.visitId)).campaignId !== c.id)
      throw new AppError('VALIDATION_FAILED', `关联的走访不是专项任务「${c.title}」的走访`)
  }
  if (source.kind === 'order' && source.visitId) await visitOfHousehold(source.visitId)

  let need: Need = openNeed({ ...sent, gridId: cells[0]!, raisedAt }, now)
  if (source.kind === 'order') {
    const { resource, offer } = await menuOffer(trx, source.offerId)
    if (offer.capacity !== null && offer.period !== null) {
      const period = offerPeriodOf(raisedAt, offer.period)
      const left = capacityLeft(offer, await ordersOfOffer(trx, offer.id, period.start, period.end))
      if (left === 0)
        throw new AppError(
          'NO_CAPACITY',
          `「${resource.name} · ${offer.title}」${offerPeriodZh(offer.period, period.start)}的${offer.capacity}份已经约满，没有下单：可以换一项服务，或${offer.period === 'week' ? '下周' : '下个月'}再点`,
          { offerId: offer.id, capacity: offer.capacity, period: offer.period },
        )
    }
    // Ordered from the menu: matched at once, the offer's category, and the resource's response
    // due by the case deadlines of its urgency (red 2 h, yellow 24 h, blue 72 h by default),
    // counted from when it was ordered at the door.
    const hours = responseHours('need', input.urgency, (await currentSettings(trx)).caseDeadlines)
    need = { ...need, category: offer.category, status: 'matched', resourceId: resource.id, matchedAt: raisedAt, dueAt: new Date(Date.parse(raisedAt) + hours * HOUR).toISOString() }
  }
  const version = await putNeed(trx, parseWith(Need, need, '需求'))
  return { status: 'applied', version }
}

function actorFor(user: SessionUser, need: Need): ListActor | null {
  if (isCommunityWide(user)) return 'office'
  return user.gridIds.includes(need.gridId) ? 'worker' : null
}

/** need:transition — the office matches, meets, closes or reopens a need. */
export const transitionNeed: MutationHandler = async (trx, user, m, now) => {
  const input = parseWith(NeedTransition, m.data, '需求操作')
  const row = await findListRow(trx, 'needs', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这条需求')
  const current = Need.parse(row.data)
  const actor = actorFor(user, current)
  if (!actor) throw new AppError('OUT_OF_SCOPE', '这条需求不在你负责的网格里')
  const check = checkNeedTransition(current.status, input.action, actor, input)
  if (!check.ok) throw flowRefusal(check)

  let dueAt: string | null = null
  if (input.action === 'match') {
    const r = await findListRow(trx, 'resources', input.resourceId!)
    const resource = r && !r.deleted ? Resource.parse(r.data) : null
    if (!resource || !resource.active) throw new AppError('NOT_FOUND', '找不到这项资源，可能已停用')
    if (input.offerId && !resource.offers.some((o) => o.id === input.offerId)) throw new AppError('NOT_FOUND', `「${resource.name}」没有这项服务`)
    const days = (await currentSettings(trx)).caseDeadlines.defaultHandlingDays
    dueAt = input.dueAt ?? new Date(Date.parse(now) + days * DAY).toISOString()
  }
  const next = applyNeedAction(current, input.action, { note: input.note, resourceId: input.resourceId, dueAt }, now)
  const version = await putNeed(trx, parseWith(Need, next, '需求'))
  return { status: 'applied', version }
}
