import type { Transaction } from 'kysely'
import {
  addToCounts,
  Building,
  Campaign,
  type CampaignAddTargets,
  type CampaignCreate,
  type CampaignFigures,
  type CampaignHouseholdsResponse,
  type CampaignListResponse,
  type CampaignPatch,
  type CampaignPreview,
  type CampaignPreviewRequest,
  type CampaignProgressResponse,
  type CampaignResultsResponse,
  type CampaignTarget,
  type CampaignTargeting,
  type CampaignVisit,
  campaignFigures,
  campaignHouseholdState,
  chinaDay,
  ChecklistTemplate,
  checkAnswers,
  emptyCounts,
  isStillOpen,
  type Figures,
  GridCell,
  type Household,
  maskName,
  type ProgressCounts,
  selectsHousehold,
  templateAt,
  uuidv7,
  type Visit,
  voteItem,
  type VoteScope,
} from '../../domain'
import { AppError, parseWith } from '../appError'
import {
  campaignVisits,
  casesOfHouseholds,
  findCampaign,
  insertTargets,
  isTarget,
  liveCampaigns,
  putCampaign,
  putCampaignIf,
  targetHouseholdIds,
  targetHouseholds,
  visitOutcomesByHousehold,
} from '../store/campaigns'
import type { Store } from '../store/open'
import { getRecord } from '../store/records'
import { liveRows } from '../store/register'
import type { Database } from '../store/schema'
import { record } from './audit'
import type { SessionUser } from './auth'
import { mayManageCampaigns } from './scope'

// 专项任务: the office makes a draft, previews whom it selects, launches it (the target list is
// fixed then, one CampaignTarget record per household, pulled by the workers of their cells),
// may add households, and closes it (its figures are frozen into the record). Workers answer it
// with visits naming the campaign (checkCampaignVisit, called by visit:create). Every figure is
// counted by src/domain/campaignFlow.ts from one read of the targets and one of the visits.

type Db = Store | Transaction<Database>

const notFound = () => new AppError('NOT_FOUND', '找不到这个专项任务，可能已被删除')
const TEMPLATE_MISSING = '找不到这份走访清单'
const SAMPLE = 20

function assertManager(user: SessionUser): void {
  if (!mayManageCampaigns(user)) throw new AppError('FORBIDDEN', '专项任务由社区书记或管理员管理')
}

async function loadCampaign(db: Db, id: string): Promise<Campaign> {
  const row = await findCampaign(db, id)
  if (!row || row.deleted) throw notFound()
  return Campaign.parse(row.data)
}

async function currentTemplate(db: Db, id: string): Promise<ChecklistTemplate> {
  const row = await getRecord(db, 'checklistTemplate', id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', TEMPLATE_MISSING)
  return ChecklistTemplate.parse(row.data)
}

/** The campaign's template at its fixed version; null when it is gone. */
async function templateOf(db: Db, c: Campaign): Promise<ChecklistTemplate | null> {
  const row = await getRecord(db, 'checklistTemplate', c.templateId)
  return row && !row.deleted ? templateAt(ChecklistTemplate.parse(row.data), c.templateVersion) : null
}

const today = (now: Date) => chinaDay(now.getTime())

function assertDeadlineAhead(deadline: string, now: Date): void {
  if (deadline < today(now))
    throw new AppError('DEADLINE_PASSED', `截止日期 ${deadline} 已经过了：请改成今天（${today(now)}）或以后的日期`)
}

// ---- the register, as targeting reads it ----

interface RegisterView {
  households: Household[]
  buildings: Map<string, Building>
  grids: Map<string, GridCell>
}

async function registerView(db: Db): Promise<RegisterView> {
  const [households, buildings, grids] = await Promise.all([liveRows(db, 'households'), liveRows(db, 'buildings'), liveRows(db, 'grid_cells')])
  return {
    households: households.map((r) => r.data as Household),
    buildings: new Map(buildings.map((r) => [r.id, r.data as Building])),
    grids: new Map(grids.map((r) => [r.id, r.data as GridCell])),
  }
}

/** Cells, buildings and compounds a targeting names must be on the register: a typo would
 *  otherwise quietly select nobody there. */
function assertKnownPlaces(v: RegisterView, t: CampaignTargeting, scope: VoteScope | null): void {
  const compounds = new Set([...v.buildings.values()].map((b) => b.compound))
  if (t.gridIds.some((id) => !v.grids.has(id))) throw new AppError('NOT_FOUND', '选户条件里有不存在的网格')
  if ([...t.buildingIds, ...t.units.map((u) => u.buildingId)].some((id) => !v.buildings.has(id))) throw new AppError('NOT_FOUND', '选户条件里有不存在的楼栋')
  const unknown = t.compounds.find((c) => !compounds.has(c))
  if (unknown !== undefined) throw new AppError('NOT_FOUND', `没有叫「${unknown}」的小区`)
  if (scope && scope.kind !== 'compound' && !v.buildings.has(scope.buildingId)) throw new AppError('NOT_FOUND', '表决范围的楼栋不存在')
  if (scope?.kind === 'compound' && !compounds.has(scope.compound)) throw new AppError('NOT_FOUND', `没有叫「${scope.compound}」的小区`)
}

const numeric = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })

/** Walking order: grid cell, compound, building, unit, floor, room. */
function walkingOrder(v: Pick<RegisterView, 'buildings' | 'grids'>) {
  const key = (h: Pick<Household, 'gridId' | 'buildingId' | 'unit' | 'room' | 'address'>) => {
    const b = h.buildingId ? v.buildings.get(h.buildingId) : undefined
    return [v.grids.get(h.gridId)?.code ?? '', b?.compound ?? '', b?.number ?? '', h.unit ?? '', h.room ?? '', h.address]
  }
  return (a: Pick<Household, 'gridId' | 'buildingId' | 'unit' | 'room' | 'address'>, b: Pick<Household, 'gridId' | 'buildingId' | 'unit' | 'room' | 'address'>) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < ka.length; i++) {
      const d = numeric(ka[i]!, kb[i]!)
      if (d) return d
    }
    return 0
  }
}

function selected(v: RegisterView, t: CampaignTargeting, scope: VoteScope | null): Household[] {
  const compoundOf = (id: string) => v.buildings.get(id)?.compound
  return v.households.filter((h) => selectsHousehold(t, scope, h, compoundOf)).sort(walkingOrder(v))
}

// ---- drafts ----

export async function listCampaigns(store: Store, user: SessionUser): Promise<CampaignListResponse> {
  assertManager(user)
  const campaigns = (await liveCampaigns(store)).map((d) => Campaign.parse(d))
  const live = campaigns.filter((c) => c.status === 'launched')
  const counts = new Map(live.map((c) => [c.id, emptyCounts()]))
  // Households with campaign visits, by their outcomes; the rest of the targets are not yet visited.
  for (const s of await visitOutcomesByHousehold(store, live.map((c) => c.id))) {
    const c = live.find((x) => x.id === s.campaignId)!
    addToCounts(counts.get(c.id)!, campaignHouseholdState([...s.outcomes].map((outcome) => ({ outcome }))), c.secondAttempt)
  }
  return {
    campaigns: campaigns.map((c) => {
      if (c.status === 'draft') return { campaign: c, totals: null }
      if (c.status === 'closed') return { campaign: c, totals: c.results?.progress.totals ?? null }
      const t = counts.get(c.id)!
      const notYet = Math.max(0, c.targetCount - t.targets)
      return { campaign: c, totals: { ...t, targets: c.targetCount, notYet, open: t.open + notYet } }
    }),
  }
}

export async function getCampaign(store: Store, user: SessionUser, id: string): Promise<Campaign> {
  assertManager(user)
  return loadCampaign(store, id)
}

export async function createCampaign(store: Store, user: SessionUser, req: CampaignCreate, now = new Date()): Promise<Campaign> {
  assertManager(user)
  assertDeadlineAhead(req.deadline, now)
  return store.transaction().execute(async (trx) => {
    const template = await currentTemplate(trx, req.templateId)
    assertKnownPlaces(await registerView(trx), req.targeting, req.vote?.scope ?? null)
    const c = parseWith(
      Campaign,
      {
        id: uuidv7(now.getTime()),
        ...req,
        templateVersion: template.version,
        status: 'draft',
        targetCount: 0,
        createdBy: user.id,
        createdAt: now.toISOString(),
        launchedAt: null,
        closedAt: null,
        results: null,
      } satisfies Campaign,
      '专项任务',
    )
    await putCampaign(trx, c)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id: c.id }, details: { created: true, title: c.title }, at: now.toISOString() })
    return c
  })
}

function assertDraft(c: Campaign, doing: string): void {
  if (c.status === 'launched') throw new AppError('INVALID_TRANSITION', `任务「${c.title}」已经发布，不能再${doing}（可以追加户，或结束它）`)
  if (c.status === 'closed') throw new AppError('INVALID_TRANSITION', `任务「${c.title}」已经结束，不能再${doing}`)
}

export async function patchCampaign(store: Store, user: SessionUser, id: string, patch: CampaignPatch, now = new Date()): Promise<Campaign> {
  assertManager(user)
  if (patch.deadline !== undefined) assertDeadlineAhead(patch.deadline, now)
  return store.transaction().execute(async (trx) => {
    const current = await loadCampaign(trx, id)
    assertDraft(current, '修改')
    const template = await currentTemplate(trx, patch.templateId ?? current.templateId)
    const next = parseWith(Campaign, { ...current, ...patch, templateVersion: template.version }, '专项任务')
    assertKnownPlaces(await registerView(trx), next.targeting, next.vote?.scope ?? null)
    await putCampaign(trx, next)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id }, details: { changed: Object.keys(patch) }, at: now.toISOString() })
    return next
  })
}

/** A draft discarded: a tombstone (only the office ever held it). */
export async function discardCampaign(store: Store, user: SessionUser, id: string, now = new Date()): Promise<void> {
  assertManager(user)
  await store.transaction().execute(async (trx) => {
    const current = await loadCampaign(trx, id)
    assertDraft(current, '删除')
    await putCampaign(trx, current, true)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id }, details: { discarded: true }, at: now.toISOString() })
  })
}

export async function previewCampaign(store: Store, user: SessionUser, req: CampaignPreviewRequest): Promise<CampaignPreview> {
  assertManager(user)
  const v = await registerView(store)
  assertKnownPlaces(v, req.targeting, req.voteScope)
  const households = selected(v, req.targeting, req.voteScope)
  const already = req.campaignId ? await targetHouseholdIds(store, (await loadCampaign(store, req.campaignId)).id) : new Set<string>()
  const byGrid = new Map<string, number>()
  const byBuilding = new Map<string, { buildingId: string | null; gridId: string; count: number }>()
  for (const h of households) {
    byGrid.set(h.gridId, (byGrid.get(h.gridId) ?? 0) + 1)
    const key = `${h.gridId}|${h.buildingId ?? ''}`
    const b = byBuilding.get(key) ?? { buildingId: h.buildingId, gridId: h.gridId, count: 0 }
    b.count++
    byBuilding.set(key, b)
  }
  return {
    count: households.length,
    alreadyTargets: households.filter((h) => already.has(h.id)).length,
    byGrid: [...byGrid].map(([gridId, count]) => ({ gridId, code: v.grids.get(gridId)?.code ?? '', name: v.grids.get(gridId)?.name ?? '', count })),
    byBuilding: [...byBuilding.values()].map((b) => {
      const building = b.buildingId ? v.buildings.get(b.buildingId) : undefined
      return { ...b, compound: building?.compound ?? '', number: building?.number ?? '' }
    }),
    sample: households.slice(0, SAMPLE).map((h) => ({ householdId: h.id, gridId: h.gridId, address: h.address, headNameMasked: maskName(h.headName) })),
  }
}

// ---- launch, additions, close ----

const noTargets = () => new AppError('CAMPAIGN_NO_TARGETS', '按这些条件没有选到任何一户：请检查网格、小区、楼栋、单元或标签，任务没有发布')

function targetsFor(c: Campaign, households: readonly Household[], now: string): CampaignTarget[] {
  return households.map((h) => ({ id: uuidv7(), campaignId: c.id, householdId: h.id, gridId: h.gridId, addedAt: now }))
}

/** Fixes the target list and sends the campaign to the devices, all in one transaction. */
export async function launchCampaign(store: Store, user: SessionUser, id: string, now = new Date()): Promise<Campaign> {
  assertManager(user)
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const c = await loadCampaign(trx, id)
    assertDraft(c, '发布')
    const template = await currentTemplate(trx, c.templateId)
    assertDeadlineAhead(c.deadline, now)
    if (c.kind === 'vote' && c.vote === null) throw new AppError('VOTE_INCOMPLETE', '表决任务要先设定表决规则和表决范围（哪个单元、楼栋或小区的业主）')
    if (c.kind === 'vote' && voteItem(template) === null)
      throw new AppError('VOTE_INCOMPLETE', `表决任务的走访清单「${template.name}」里要有一个表态项（同意/反对/弃权/有条件同意）`)
    const v = await registerView(trx)
    const households = selected(v, c.targeting, c.vote?.scope ?? null)
    if (!households.length) throw noTargets()
    await insertTargets(trx, targetsFor(c, households, at))
    const next: Campaign = { ...c, status: 'launched', templateVersion: template.version, targetCount: households.length, launchedAt: at }
    if (!(await putCampaignIf(trx, next, 'draft'))) throw new AppError('INVALID_TRANSITION', `任务「${c.title}」刚被别人发布或删除了，请刷新`)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id }, details: { launched: true, targets: households.length }, at })
    return next
  })
}

/** Households added to a launched campaign: by id, or by what a targeting selects now. Those it
 *  targets already are left alone (adding twice adds once). */
export async function addTargets(store: Store, user: SessionUser, id: string, body: CampaignAddTargets, now = new Date()): Promise<{ added: number; campaign: Campaign }> {
  assertManager(user)
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const c = await loadCampaign(trx, id)
    if (c.status === 'draft') throw new AppError('INVALID_TRANSITION', `任务「${c.title}」还是草稿：直接修改它的选户条件即可`)
    if (c.status === 'closed') throw new AppError('CAMPAIGN_CLOSED', `任务「${c.title}」已经结束，结果已定稿，不能再加户`)
    const v = await registerView(trx)
    const wanted = new Map<string, Household>()
    if (body.householdIds?.length) {
      const byId = new Map(v.households.map((h) => [h.id, h]))
      for (const hid of body.householdIds) {
        const h = byId.get(hid)
        if (!h) throw new AppError('NOT_FOUND', '要加入的户里有找不到的，可能已从台账撤销')
        wanted.set(h.id, h)
      }
    }
    if (body.targeting) {
      assertKnownPlaces(v, body.targeting, null)
      for (const h of selected(v, body.targeting, null)) wanted.set(h.id, h)
    }
    if (!wanted.size) throw noTargets()
    const already = await targetHouseholdIds(trx, id)
    const fresh = [...wanted.values()].filter((h) => !already.has(h.id)).sort(walkingOrder(v))
    if (!fresh.length) return { added: 0, campaign: c }
    await insertTargets(trx, targetsFor(c, fresh, at))
    const next: Campaign = { ...c, targetCount: already.size + fresh.length }
    if (!(await putCampaignIf(trx, next, 'launched'))) throw new AppError('CAMPAIGN_CLOSED', `任务「${c.title}」刚刚结束了，没有加户`)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id }, details: { added: fresh.length }, at })
    return { added: fresh.length, campaign: next }
  })
}

/** Closes the campaign: its figures as they stand are frozen into the record; answers sent after
 *  this are refused (CAMPAIGN_CLOSED). */
export async function closeCampaign(store: Store, user: SessionUser, id: string, now = new Date()): Promise<Campaign> {
  assertManager(user)
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const c = await loadCampaign(trx, id)
    if (c.status === 'draft') throw new AppError('INVALID_TRANSITION', `任务「${c.title}」还是草稿，没有发布过：不需要结束，可以删除`)
    if (c.status === 'closed') throw new AppError('INVALID_TRANSITION', `任务「${c.title}」已经结束了`)
    const f = await figuresOf(trx, c, at)
    const results: CampaignFigures = { at, progress: f.progress, answeredHouseholds: f.answeredHouseholds, items: f.items, hazardHouseholds: f.hazardHouseholds, vote: f.vote }
    const next: Campaign = { ...c, status: 'closed', closedAt: at, results }
    parseWith(Campaign, next, '专项任务')
    if (!(await putCampaignIf(trx, next, 'launched'))) throw new AppError('INVALID_TRANSITION', `任务「${c.title}」刚被别人结束了，请刷新`)
    await record(trx, { userId: user.id, action: 'campaign_change', subject: { type: 'campaign', id }, details: { closed: true, done: results.progress.totals.done, targets: results.progress.totals.targets }, at })
    return next
  })
}

// ---- the figures ----

interface TargetRow {
  household: Household
}

async function figuresOf(db: Db, c: Campaign, at: string): Promise<Figures & { rows: TargetRow[]; view: Pick<RegisterView, 'buildings' | 'grids'> }> {
  const [template, targets, visits, buildings, grids] = await Promise.all([
    templateOf(db, c),
    targetHouseholds(db, c.id),
    campaignVisits(db, c.id),
    liveRows(db, 'buildings'),
    liveRows(db, 'grid_cells'),
  ])
  const view = {
    buildings: new Map(buildings.map((r) => [r.id, r.data as Building])),
    grids: new Map(grids.map((r) => [r.id, r.data as GridCell])),
  }
  const rows = targets.map((t) => ({ household: t.data as Household }))
  const figures = campaignFigures({
    at,
    secondAttempt: c.secondAttempt,
    vote: c.vote,
    template,
    targets: rows.map(({ household: h }) => ({ householdId: h.id, gridId: h.gridId, buildingId: h.buildingId, unit: h.unit, area: h.area ?? null })),
    visits: (visits as Visit[]).map(
      (v): CampaignVisit => ({ id: v.id, householdId: v.householdId, startedAt: v.startedAt, outcome: v.outcome, workerId: v.workerId, campaignAnswers: v.campaignAnswers, respondent: v.respondent }),
    ),
    grids: view.grids,
    buildings: view.buildings,
  })
  return { ...figures, rows, view }
}

export async function campaignProgress(store: Store, user: SessionUser, id: string, now = new Date()): Promise<CampaignProgressResponse> {
  assertManager(user)
  const c = await loadCampaign(store, id)
  const base = { campaignId: c.id, status: c.status, secondAttempt: c.secondAttempt }
  if (c.status === 'closed' && c.results) return { ...base, frozen: true, at: c.results.at, ...c.results.progress }
  const f = await figuresOf(store, c, now.toISOString())
  return { ...base, frozen: false, at: f.at, ...f.progress }
}

export async function campaignResults(store: Store, user: SessionUser, id: string, now = new Date()): Promise<CampaignResultsResponse> {
  assertManager(user)
  const c = await loadCampaign(store, id)
  const f = await figuresOf(store, c, now.toISOString())
  const figures = c.status === 'closed' && c.results ? c.results : f
  const households = new Map(f.rows.map((r) => [r.household.id, r.household]))
  const cases = (await casesOfHouseholds(store, f.hazards.map((x) => x.householdId))) as { id: string; visitId: string | null }[]
  return {
    campaignId: c.id,
    status: c.status,
    frozen: figures !== f,
    at: figures.at,
    answeredHouseholds: figures.answeredHouseholds,
    items: figures.items,
    hazardHouseholds: figures.hazardHouseholds,
    hazards: f.hazards.map((x) => {
      const h = households.get(x.householdId)!
      return {
        householdId: h.id,
        gridId: h.gridId,
        buildingId: h.buildingId,
        address: h.address,
        headNameMasked: maskName(h.headName),
        visitId: x.visit.id,
        startedAt: x.visit.startedAt,
        workerId: x.visit.workerId,
        items: x.items.map((i) => ({ itemId: i.item.id, label: i.item.label, answer: i.answer as boolean | string })),
        caseIds: cases.filter((k) => k.visitId === x.visit.id).map((k) => k.id),
      }
    }),
    vote: figures.vote,
  }
}

export async function campaignHouseholds(store: Store, user: SessionUser, id: string, now = new Date()): Promise<CampaignHouseholdsResponse> {
  assertManager(user)
  const c = await loadCampaign(store, id)
  const f = await figuresOf(store, c, now.toISOString())
  const order = walkingOrder(f.view)
  return {
    campaignId: c.id,
    households: f.rows
      .map((r) => r.household)
      .sort(order)
      .map((h) => {
        const s = f.standing.get(h.id)!
        return {
          householdId: h.id,
          gridId: h.gridId,
          buildingId: h.buildingId,
          unit: h.unit,
          room: h.room,
          address: h.address,
          headNameMasked: maskName(h.headName),
          state: s.state,
          visits: s.visits,
          lastVisitAt: s.lastVisitAt,
          open: isStillOpen(s.state, c.secondAttempt),
        }
      }),
  }
}

/** What an export of the campaign reads: the figures (frozen once closed) and each target. */
export async function campaignForExport(store: Store, user: SessionUser, id: string, now = new Date()) {
  assertManager(user)
  const c = await loadCampaign(store, id)
  const f = await figuresOf(store, c, now.toISOString())
  return { campaign: c, figures: c.status === 'closed' && c.results ? c.results : f, live: f }
}

export type { ProgressCounts }

// ---- answers from the door (visit:create) ----

/** A visit naming a campaign: the campaign must be running and target the household, and its
 *  answers must fit the campaign's checklist at the version fixed at launch. */
export async function checkCampaignVisit(trx: Db, visit: Visit): Promise<void> {
  const row = await findCampaign(trx, visit.campaignId!)
  const c = row && !row.deleted ? Campaign.parse(row.data) : null
  // A draft is the office's alone: to anyone sending answers to it, it does not exist.
  if (!c || c.status === 'draft') throw new AppError('NOT_FOUND', '找不到这个专项任务，可能已被删除')
  if (c.status === 'closed') {
    const day = c.closedAt ? chinaDay(Date.parse(c.closedAt)) : ''
    throw new AppError(
      'CAMPAIGN_CLOSED',
      `专项任务「${c.title}」已于 ${day} 结束，结果已经定稿，这次走访没有计入，也没有保存。这条记录留在「待处理」里：去掉任务部分可以作为普通走访提交，或者放弃它。`,
    )
  }
  if (!(await isTarget(trx, c.id, visit.householdId))) throw new AppError('CAMPAIGN_NOT_TARGET', `这一户不在专项任务「${c.title}」的名单里，任务的回答没有保存`)
  const answered = visit.outcome === 'met' || visit.outcome === 'phone'
  if (!answered) return
  const template = await templateOf(trx, c)
  if (!template) throw new AppError('NOT_FOUND', TEMPLATE_MISSING)
  const problems = checkAnswers(template, visit.campaignAnswers ?? {})
  if (problems.length) throw new AppError('VALIDATION_FAILED', `任务清单填写有误：${problems[0]!.message}`, { issues: problems })
  if (c.kind === 'vote' && visit.respondent === undefined)
    throw new AppError('RESPONDENT_REQUIRED', '表决要记下是谁回答的：业主本人、家属还是租户（只有业主本人的表态计入表决）')
}
