import type { Tag } from '../../domain'
import { isSensitiveTag } from '../../domain'
import { AppError } from '../appError'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../store/schema'
import { heldCellAt } from '../store/users'
import type { SessionUser } from './auth'

// Who may see and touch what. Routes and SQL never decide this alone: every read and write
// asks here. A worker: the grid cells assigned to them. Secretary and admin: the community.

export function isCommunityWide(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'secretary' || user.role === 'admin'
}

type Db = Kysely<Database> | Transaction<Database>

/** May the user read or edit records of this grid cell now? */
export function gridInScope(user: Pick<SessionUser, 'role' | 'gridIds'>, gridId: string | null): boolean {
  return isCommunityWide(user) || (gridId !== null && user.gridIds.includes(gridId))
}

/** gridInScope, or OUT_OF_SCOPE. */
export function assertGridInScope(user: SessionUser, gridId: string | null): void {
  if (!gridInScope(user, gridId)) throw new AppError('OUT_OF_SCOPE', '这户不在你负责的网格里')
}

/** Was the grid cell assigned to the worker at that instant? A visit recorded offline while the
 *  household was still theirs is accepted even if it was reassigned before the visit synced. */
export async function assertGridAssignedAt(db: Db, user: SessionUser, gridId: string, at: string): Promise<void> {
  if (isCommunityWide(user) || user.gridIds.includes(gridId)) return
  if (!(await heldCellAt(db, user.id, gridId, at))) throw new AppError('OUT_OF_SCOPE', '这户不在你负责的网格里')
}

/** Campaigns (专项任务) are made, launched, added to and closed by the office, which also reads
 *  their progress and results; a worker walks them (their cells' targets reach their device). */
export function mayManageCampaigns(user: Pick<SessionUser, 'role'>): boolean {
  return isCommunityWide(user)
}

/** A draft campaign is the office's alone until it is launched. */
export function seesCampaignDrafts(user: Pick<SessionUser, 'role'>): boolean {
  return mayManageCampaigns(user)
}

/** 三张清单 (docs/lists.md): the office matches, meets and closes needs, keeps the resources,
 *  runs projects and confirms volunteers' hours; a worker records needs for their own cells. */
export function mayManageLists(user: Pick<SessionUser, 'role'>): boolean {
  return isCommunityWide(user)
}

/** Volunteers' service records and points are the office's: workers never receive them. */
export function seesServiceRecords(user: Pick<SessionUser, 'role'>): boolean {
  return mayManageLists(user)
}

/** A volunteer's name, phone and register link reach the office whole; everyone else gets the
 *  masked copy (listRules.volunteerCopy). */
export function seesVolunteerContacts(user: Pick<SessionUser, 'role'>): boolean {
  return mayManageLists(user)
}

/** 议题 (docs/matters.md): the office raises and moves matters, records meetings and keeps the
 *  ledger; a worker reads the matters and meetings of their cells. */
export function mayManageMatters(user: Pick<SessionUser, 'role'>): boolean {
  return isCommunityWide(user)
}

/** A matter's ledger names households with what they owe and paid: the office's alone. */
export function seesMatterLedger(user: Pick<SessionUser, 'role'>): boolean {
  return mayManageMatters(user)
}

/** Strips the 政法 tags for users not granted them. */
export function visibleTags(user: Pick<SessionUser, 'sensitiveTags'>, tags: readonly Tag[]): Tag[] {
  return user.sensitiveTags ? [...tags] : tags.filter((t) => !isSensitiveTag(t))
}

/** May the user set or take off 政法 tags? Only the office, and only someone granted them:
 *  a worker never does, even one who may see them (domain.md, Privacy). */
export function mayChangeSensitiveTags(user: Pick<SessionUser, 'role' | 'sensitiveTags'>): boolean {
  return isCommunityWide(user) && user.sensitiveTags
}

/** The tags a record gets when `user` sends `sent` for it, its tags being `current`. Someone who
 *  may not change 政法 tags keeps those the record has: one who cannot see them sent none (they
 *  never saw them), and is not refused for it; sending a different set is refused, not ignored. */
export function tagsAfterEdit(user: Pick<SessionUser, 'role' | 'sensitiveTags'>, current: readonly Tag[], sent: readonly Tag[]): Tag[] {
  if (mayChangeSensitiveTags(user)) return [...new Set(sent)]
  const kept = current.filter(isSensitiveTag)
  const sentSensitive = sent.filter(isSensitiveTag)
  const same = sentSensitive.length === kept.length && kept.every((t) => sentSensitive.includes(t))
  if (!same && (user.sensitiveTags || sentSensitive.length > 0))
    throw new AppError('FORBIDDEN', '社区矫正、刑满释放等政法标签只能由有权限的社区干部修改')
  return [...new Set([...sent.filter((t) => !isSensitiveTag(t)), ...kept])]
}
