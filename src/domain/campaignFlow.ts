import type { Attention, Tag } from './tags'
import { addToCounts, campaignHouseholdState, emptyCounts, isStillOpen, reached } from './campaignProgress'
import { isHazardAnswer } from './checklistRules'
import type { Answer, Answers, ChecklistItem, ChecklistTemplate } from './schemas/checklist'
import type {
  CampaignFigures,
  CampaignHouseholdState,
  CampaignStatus,
  CampaignTargeting,
  CampaignVote,
  CampaignVoteResult,
  ItemResult,
  OptionResult,
  ProgressCounts,
  VoteScope,
} from './schemas/campaign'
import { hasCriteria } from './campaignTargeting'
import type { Respondent, VisitOutcome } from './schemas/visit'
import { isVoteAnswer, tallyVote, VOTE_ANSWER_LABELS, VOTE_ANSWERS, type VoteAnswer } from './voteRules'

// The rules of a campaign, pure, for the server's figures and the device's walking list alike:
// which households a targeting selects, where a household stands from its campaign visits, and
// what the answers add up to. The server reads the rows; this decides what they mean.

// ---- the campaign's own states ----

/** draft → launched → closed; nothing goes back. */
export const CAMPAIGN_NEXT: Record<CampaignStatus, CampaignStatus | null> = { draft: 'launched', launched: 'closed', closed: null }

// ---- who is targeted ----

export interface TargetableHousehold {
  gridId: string
  buildingId: string | null
  unit: string | null
  tags: readonly Tag[]
  attention: Attention
}

/** The compound a building belongs to (a compound is the name its buildings carry). */
export type CompoundOf = (buildingId: string) => string | undefined

export function inVoteScope(scope: VoteScope, h: Pick<TargetableHousehold, 'buildingId' | 'unit'>, compoundOf: CompoundOf): boolean {
  if (h.buildingId === null) return false
  if (scope.kind === 'compound') return compoundOf(h.buildingId) === scope.compound
  if (h.buildingId !== scope.buildingId) return false
  return scope.kind === 'building' || h.unit === scope.unit
}

/** Does the targeting (or the vote's scope, always targeted) select this household? Places add
 *  up, tags and attention narrow; a targeting with no criterion selects nothing by itself. */
export function selectsHousehold(t: CampaignTargeting, voteScope: VoteScope | null, h: TargetableHousehold, compoundOf: CompoundOf): boolean {
  if (voteScope !== null && inVoteScope(voteScope, h, compoundOf)) return true
  if (!hasCriteria(t)) return false
  const places = t.gridIds.length + t.compounds.length + t.buildingIds.length + t.units.length
  const b = h.buildingId
  const inPlace =
    places === 0 ||
    t.gridIds.includes(h.gridId) ||
    (b !== null &&
      (t.buildingIds.includes(b) || t.units.some((u) => u.buildingId === b && u.unit === h.unit) || (t.compounds.length > 0 && t.compounds.includes(compoundOf(b) ?? ''))))
  const tagged = t.tags.length === 0 || t.tags.some((x) => h.tags.includes(x))
  const level = t.attention.length === 0 || t.attention.includes(h.attention)
  return inPlace && tagged && level
}

// ---- where a household stands ----

export interface CampaignVisit {
  id: string
  householdId: string
  startedAt: string
  outcome: VisitOutcome
  workerId: string
  campaignAnswers?: Answers
  respondent?: Respondent
}


/** Later first: by start time, then by id (UUIDv7, time-ordered) for visits begun the same instant. */
export function laterFirst(a: Pick<CampaignVisit, 'startedAt' | 'id'>, b: Pick<CampaignVisit, 'startedAt' | 'id'>): number {
  return Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** The visit whose answers count for the household: its latest that reached somebody. */
export function countedVisit<V extends CampaignVisit>(visits: readonly V[]): V | null {
  return [...visits].filter(reached).sort(laterFirst)[0] ?? null
}

// Where a household stands and the progress counts are in campaignProgress.ts (the phone's home
// page counts its campaigns with them, and nothing else of this file).
export { addToCounts, campaignHouseholdState, emptyCounts, isStillOpen, reached }

// ---- what the answers add up to ----

/** The 表态 item a vote counts: the template's first. */
export function voteItem(template: ChecklistTemplate): ChecklistItem | null {
  return template.items.find((i) => i.kind === 'stance') ?? null
}

/** The answers of a visit that mean 有隐患, by item. */
export function hazardsIn(template: ChecklistTemplate, answers: Answers | undefined): { item: ChecklistItem; answer: Answer }[] {
  if (!answers) return []
  return template.items.filter((i) => isHazardAnswer(i, answers[i.id])).map((item) => ({ item, answer: answers[item.id]! }))
}

function optionsOf(item: ChecklistItem): { value: boolean | string; label: string; hazard: boolean }[] {
  if (item.kind === 'yesno') return [true, false].map((v) => ({ value: v, label: v ? '是' : '否', hazard: item.hazardWhen === v }))
  if (item.kind === 'choice') return item.options.map((o) => ({ value: o, label: o, hazard: item.hazardWhen?.includes(o) ?? false }))
  if (item.kind === 'stance') return VOTE_ANSWERS.map((a) => ({ value: a, label: VOTE_ANSWER_LABELS[a]['zh-CN'], hazard: false }))
  return []
}

/** Counts and shares per item and answer over the households' counted answers (one per household). */
export function itemResults(template: ChecklistTemplate, answerSets: readonly Answers[]): ItemResult[] {
  return template.items.map((item) => {
    const given = answerSets.map((a) => a[item.id]).filter((a): a is Answer => a !== undefined && a !== '')
    const options: OptionResult[] = optionsOf(item).map((o) => {
      const count = given.filter((a) => a === o.value).length
      return { ...o, count, share: given.length ? count / given.length : 0 }
    })
    const numbers = item.kind === 'number' ? given.filter((a): a is number => typeof a === 'number') : []
    const sum = numbers.reduce((s, n) => s + n, 0)
    return {
      itemId: item.id,
      label: item.label,
      kind: item.kind,
      answered: given.length,
      options,
      number: numbers.length ? { min: Math.min(...numbers), max: Math.max(...numbers), mean: sum / numbers.length, sum } : null,
    }
  })
}

// ---- the whole count ----

export interface FigureTarget {
  householdId: string
  gridId: string
  buildingId: string | null
  unit: string | null
  /** 建筑面积; null when the register has none. */
  area: number | null
}

export interface FigureInput {
  at: string
  secondAttempt: boolean
  vote: CampaignVote | null
  /** The campaign's template at its fixed version; null if it is gone (nothing is counted then). */
  template: ChecklistTemplate | null
  targets: readonly FigureTarget[]
  /** The campaign's visits; those of households it does not target are ignored. */
  visits: readonly CampaignVisit[]
  grids: ReadonlyMap<string, { code: string; name: string }>
  buildings: ReadonlyMap<string, { compound: string; number: string }>
}

export interface HouseholdStanding {
  state: CampaignHouseholdState
  visits: number
  lastVisitAt: string | null
  /** The visit whose answers count; null until somebody was reached. */
  counted: CampaignVisit | null
}

export interface Figures extends CampaignFigures {
  /** Per target household, for lists and the hazard list (never stored in the record). */
  standing: Map<string, HouseholdStanding>
  hazards: { householdId: string; visit: CampaignVisit; items: { item: ChecklistItem; answer: Answer }[] }[]
}

const numeric = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })

/** Progress per cell, building and unit, item results, hazards and a vote's tally, in one pass. */
export function campaignFigures(input: FigureInput): Figures {
  const byHousehold = new Map<string, CampaignVisit[]>()
  for (const t of input.targets) byHousehold.set(t.householdId, [])
  for (const v of input.visits) byHousehold.get(v.householdId)?.push(v)

  const totals = emptyCounts()
  const grid = new Map<string, ProgressCounts>()
  const building = new Map<string, ProgressCounts & { buildingId: string | null; gridId: string }>()
  const unit = new Map<string, ProgressCounts & { buildingId: string | null; unit: string | null }>()
  const standing = new Map<string, HouseholdStanding>()
  const answerSets: Answers[] = []
  const hazards: Figures['hazards'] = []
  for (const t of input.targets) {
    const visits = byHousehold.get(t.householdId)!
    const state = campaignHouseholdState(visits)
    const counted = countedVisit(visits)
    const last = [...visits].sort(laterFirst)[0]
    standing.set(t.householdId, { state, visits: visits.length, lastVisitAt: last?.startedAt ?? null, counted })
    addToCounts(totals, state, input.secondAttempt)
    const g = grid.get(t.gridId) ?? emptyCounts()
    grid.set(t.gridId, g)
    addToCounts(g, state, input.secondAttempt)
    const bKey = `${t.gridId}|${t.buildingId ?? ''}`
    const b = building.get(bKey) ?? { ...emptyCounts(), buildingId: t.buildingId, gridId: t.gridId }
    building.set(bKey, b)
    addToCounts(b, state, input.secondAttempt)
    const uKey = `${t.buildingId ?? ''}|${t.unit ?? ''}`
    const u = unit.get(uKey) ?? { ...emptyCounts(), buildingId: t.buildingId, unit: t.unit }
    unit.set(uKey, u)
    addToCounts(u, state, input.secondAttempt)
    if (counted && input.template) {
      answerSets.push(counted.campaignAnswers ?? {})
      const found = hazardsIn(input.template, counted.campaignAnswers)
      if (found.length) hazards.push({ householdId: t.householdId, visit: counted, items: found })
    }
  }

  // Only the names: the whole records would carry polygons into frozen figures, and a building's
  // own gridId would overwrite the cell its households are counted under.
  const gridInfo = (id: string) => {
    const g = input.grids.get(id)
    return { code: g?.code ?? '', name: g?.name ?? '' }
  }
  const buildingInfo = (id: string | null) => {
    const b = id ? input.buildings.get(id) : undefined
    return { compound: b?.compound ?? '', number: b?.number ?? '' }
  }
  const byGrid = [...grid].map(([gridId, c]) => ({ gridId, ...gridInfo(gridId), ...c })).sort((a, b) => numeric(a.code, b.code))
  const byBuilding = [...building.values()]
    .map((c) => ({ ...c, ...buildingInfo(c.buildingId) }))
    .sort((a, b) => numeric(gridInfo(a.gridId).code, gridInfo(b.gridId).code) || numeric(a.compound, b.compound) || numeric(a.number, b.number))
  const buildingOrder = new Map(byBuilding.map((b, i) => [b.buildingId, i]))
  const byUnit = [...unit.values()].sort(
    (a, b) => (buildingOrder.get(a.buildingId) ?? 0) - (buildingOrder.get(b.buildingId) ?? 0) || numeric(a.unit ?? '', b.unit ?? ''),
  )

  return {
    at: input.at,
    progress: { totals, byGrid, byBuilding, byUnit },
    answeredHouseholds: answerSets.length,
    items: input.template ? itemResults(input.template, answerSets) : [],
    hazardHouseholds: hazards.length,
    vote: input.vote && input.template ? voteResult(input.vote, input.template, input.targets, byHousehold, input.buildings) : null,
    standing,
    hazards,
  }
}

/** The tally over the scope's target households: each by its latest answer from its owner (业主本人). */
function voteResult(
  vote: CampaignVote,
  template: ChecklistTemplate,
  targets: readonly FigureTarget[],
  byHousehold: ReadonlyMap<string, CampaignVisit[]>,
  buildings: FigureInput['buildings'],
): CampaignVoteResult | null {
  const item = voteItem(template)
  if (!item) return null
  const compoundOf: CompoundOf = (id) => buildings.get(id)?.compound
  let answeredByOthersOnly = 0
  const households = targets
    .filter((t) => inVoteScope(vote.scope, t, compoundOf))
    .map((t) => {
      const answers = (byHousehold.get(t.householdId) ?? []).filter((v) => reached(v) && isVoteAnswer(v.campaignAnswers?.[item.id]))
      const owner = answers.filter((v) => v.respondent === 'owner').sort(laterFirst)[0]
      if (!owner && answers.length) answeredByOthersOnly++
      return { householdId: t.householdId, area: t.area, answer: owner ? (owner.campaignAnswers![item.id] as VoteAnswer) : null }
    })
  return { tally: tallyVote(households, vote.rule), answeredByOthersOnly }
}
