import type { Transaction } from 'kysely'
import { type Building, Campaign, type GridCell, type Household, inMatterScope, Matter, type MatterScope } from '../../domain'
import { AppError } from '../appError'
import { findCampaign } from '../store/campaigns'
import { findMatterRow, householdsByIds } from '../store/matters'
import { liveRows } from '../store/register'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { mayManageMatters } from './scope'

// What the matters, meetings and ledger services share: who may write them, the matter they name,
// the campaigns they point at, and the register as a matter's place reads it.

type Trx = Transaction<Database>

/** The office's, or FORBIDDEN: asked before anything is read, so a worker learns nothing. */
export function assertMatterManager(user: SessionUser): void {
  if (!mayManageMatters(user)) throw new AppError('FORBIDDEN', '议题、议事会和账目由社区书记或管理员记录，网格员可以在手机上查看')
}

export async function loadMatter(trx: Trx, id: string): Promise<{ matter: Matter; version: number }> {
  const row = await findMatterRow(trx, 'matters', id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这个议题')
  return { matter: Matter.parse(row.data), version: row.version }
}

/** A campaign anyone but its author may know of (a draft is the office's work in progress, and
 *  answers as unknown); null when there is none. */
export async function liveCampaign(trx: Trx, id: string): Promise<Campaign | null> {
  const row = await findCampaign(trx, id)
  const c = row && !row.deleted ? Campaign.parse(row.data) : null
  return c && c.status !== 'draft' ? c : null
}

/** A door-to-door 意见征询 campaign (议, 评), or the refusal. */
export async function consultationCampaign(trx: Trx, id: string, what: string): Promise<Campaign> {
  const c = await liveCampaign(trx, id)
  if (!c) throw new AppError('NOT_FOUND', `找不到${what}的专项任务（草稿要先发布）`)
  if (c.kind !== 'consultation') throw new AppError('VALIDATION_FAILED', `「${c.title}」不是意见征询任务，不能作为${what}`)
  return c
}

export interface ScopeView {
  buildings: Map<string, Building>
  compoundOf: (buildingId: string) => string | undefined
  /** The live households of the scope, in walking order (building, unit, floor, room). */
  households: Household[]
  /** The cells it touches: its households', the building's own; every cell for the community. */
  gridIds: string[]
}

const numeric = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })

/** The register as a matter's place reads it. Places it names must be on the register (a typo
 *  would otherwise raise a matter nobody pulls). */
export async function scopeView(trx: Trx, scope: MatterScope): Promise<ScopeView> {
  const [households, buildings, grids] = await Promise.all([liveRows(trx, 'households'), liveRows(trx, 'buildings'), liveRows(trx, 'grid_cells')])
  const byId = new Map(buildings.map((r) => [r.id, r.data as Building]))
  const compoundOf = (id: string) => byId.get(id)?.compound
  if (scope.kind === 'compound' && ![...byId.values()].some((b) => b.compound === scope.compound)) throw new AppError('NOT_FOUND', `没有叫「${scope.compound}」的小区`)
  if ((scope.kind === 'building' || scope.kind === 'unit') && !byId.has(scope.buildingId)) throw new AppError('NOT_FOUND', '议题范围的楼栋不在台账里')
  const hs = households
    .map((r) => r.data as Household)
    .filter((h) => inMatterScope(scope, h, compoundOf))
    .sort((a, b) => {
      const ba = a.buildingId ? byId.get(a.buildingId) : undefined
      const bb = b.buildingId ? byId.get(b.buildingId) : undefined
      return numeric(ba?.compound ?? '', bb?.compound ?? '') || numeric(ba?.number ?? '', bb?.number ?? '') || numeric(a.unit ?? '', b.unit ?? '') || (a.floor ?? 0) - (b.floor ?? 0) || numeric(a.room ?? '', b.room ?? '') || numeric(a.id, b.id)
    })
  const cells = new Set(hs.map((h) => h.gridId))
  if (scope.kind === 'building' || scope.kind === 'unit') cells.add(byId.get(scope.buildingId)!.gridId)
  if (scope.kind === 'community') for (const g of grids) cells.add((g.data as GridCell).id)
  return { buildings: byId, compoundOf, households: hs, gridIds: [...cells].sort() }
}

/** "幸福里小区3号楼2单元" — a scope as the office says it. */
export function scopeWords(scope: MatterScope, buildings: ReadonlyMap<string, Building>): string {
  if (scope.kind === 'community') return '全社区'
  if (scope.kind === 'compound') return scope.compound
  const b = buildings.get(scope.buildingId)
  const name = b ? `${b.compound}${b.number}` : '这栋楼'
  return scope.kind === 'unit' ? `${name}${scope.unit}单元` : name
}

/** The households named must be on the register (not taken off): NOT_FOUND otherwise. */
export async function liveHouseholds(trx: Trx, ids: readonly string[], message: string): Promise<Household[]> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return []
  const live = (await householdsByIds(trx, unique)) as Household[]
  if (live.length !== unique.length) throw new AppError('NOT_FOUND', message)
  return live
}
