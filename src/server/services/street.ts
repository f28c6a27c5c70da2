import {
  type Case,
  type CaseStep,
  chinaDay,
  type GridCell,
  type StreetCase,
  type StreetCaseStepRequest,
  type StreetCaseStepResponse,
  type StreetCommunityRow,
  type StreetFigures,
  type StreetOverviewResponse,
  type StreetQuery,
  caseCard,
} from '../../domain'
import { isVulnerable } from '../../domain/coverage'
import { isLate } from '../../domain/householdState'
import { AppError } from '../appError'
import type { Deployment } from '../deployment'
import type { CommunityEntry } from '../store/directory'
import { readCounter } from '../store/counters'
import type { Store } from '../store/open'
import { liveRows } from '../store/register'
import { getRecord } from '../store/records'
import { casesInState, openCasesOfCells, stepsOfCases } from '../store/stats'
import type { SessionUser } from './auth'
import { stepCase } from './cases'
import { householdStats, readSettings, registerHouseholds } from './stats'

// 街道 (docs/communities.md): each community's figures, counted by the same code as its own
// dashboard, and the cases escalated to the street. Nothing here returns a resident or a
// household: the street's staff hold no community's records.

/** The communities, the directory read again: one added through another app server is there. */
const communitiesOf = async (deployment: Deployment): Promise<CommunityEntry[]> => (await deployment.refresh()).filter((c) => c.kind === 'community')

/** How the street reads a community: as its office would, the whole of it, without 政法 tags. */
function officeView(street: SessionUser, community: string): SessionUser {
  return { ...street, role: 'secretary', gridIds: [], sensitiveTags: false, community }
}

/** The middle of a community's mapped cells (the mean of their boundaries' corners). */
function centerOf(cells: GridCell[]): { lat: number; lng: number } | null {
  const corners = cells.flatMap((g) => g.polygon?.coordinates[0] ?? [])
  if (!corners.length) return null
  return { lat: corners.reduce((s, c) => s + c[1]!, 0) / corners.length, lng: corners.reduce((s, c) => s + c[0]!, 0) / corners.length }
}

/** What the street counts (StreetFigures), before the coverage is worked out from it. */
type Tally = Omit<StreetFigures, 'vulnerableCoverage'>

const noTally = (): Tally => ({ households: 0, visits: 0, vulnerableNeeded: 0, vulnerableVisited: 0, vulnerableOverdue: 0, openCases: 0 })
const coverageOf = (t: Tally) => (t.vulnerableNeeded ? t.vulnerableVisited / t.vulnerableNeeded : null)

function sum(tallies: Iterable<Tally>): Tally {
  const out = noTally()
  for (const t of tallies) for (const k of Object.keys(out) as (keyof Tally)[]) out[k] += t[k]
  return out
}

/** Each cell's households and visits, counted (openCases left at 0: the cases are read fresh). */
async function householdTallies(store: Store, entry: CommunityEntry, street: SessionUser, q: StreetQuery, now: number): Promise<ReadonlyMap<string, Tally>> {
  const { households: stats, scope } = await householdStats(store, officeView(street, entry.key), q, now)
  const households = scope.households // the register as the stats read it: not read twice
  const byCell = new Map<string, Tally>()
  const of = (gridId: string) => byCell.get(gridId) ?? byCell.set(gridId, noTally()).get(gridId)!
  const byId = new Map(households.map((h) => [h.id, h]))
  for (const h of households) of(h.gridId).households++
  for (const s of stats) {
    const t = of(s.gridId)
    t.visits += s.visitsInPeriod
    const h = byId.get(s.id)
    if (!h || !isVulnerable(h)) continue
    if (isLate(s.state)) t.vulnerableOverdue++
    if (s.needed) {
      t.vulnerableNeeded++
      if (s.visited) t.vulnerableVisited++
    }
  }
  return byCell
}

/** Per community, its cells' household figures as last counted, and what they were counted on:
 *  the period, the day (a household's state is as of a day) and the community's version counter,
 *  which every write of a record moves. Counting every household's visits is nearly all of the
 *  overview's cost, and most of a street's communities write nothing between two looks at it:
 *  they are not counted again (bench/street.ts). One entry per community; the counter is the
 *  database's, so another app server's writes are seen too. */
const counted = new WeakMap<Store, { key: string; tallies: Promise<ReadonlyMap<string, Tally>> }>()

async function cachedTallies(store: Store, entry: CommunityEntry, street: SessionUser, q: StreetQuery, now: number): Promise<ReadonlyMap<string, Tally>> {
  const key = `${q.from}|${q.to}|${chinaDay(now)}|${await readCounter(store, 'version')}`
  const hit = counted.get(store)
  if (hit?.key === key) return hit.tallies
  const tallies = householdTallies(store, entry, street, q, now)
  counted.set(store, { key, tallies })
  tallies.catch(() => counted.get(store)?.tallies === tallies && counted.delete(store))
  return tallies
}

async function communityRow(store: Store, entry: CommunityEntry, street: SessionUser, q: StreetQuery, now: number): Promise<StreetCommunityRow> {
  const cellsAndCases = liveRows(store, 'grid_cells').then(async (rows) => ({ rows, open: await openCasesOfCells(store, rows.map((r) => r.id)) }))
  const [tallies, settings, { rows: cellRows, open }, escalated] = await Promise.all([
    cachedTallies(store, entry, street, q, now),
    readSettings(store),
    cellsAndCases,
    casesInState(store, 'escalated'),
  ])
  // The cached counts are shared: the open cases go into copies.
  const byCell = new Map([...tallies].map(([id, t]) => [id, { ...t }]))
  const of = (gridId: string) => byCell.get(gridId) ?? byCell.set(gridId, noTally()).get(gridId)!
  for (const r of open) of(r.gridId!).openCases++ // asked by grid cell: every one has its cell
  const all = sum(byCell.values())
  const cells = cellRows.map((r) => r.data as GridCell)
  return {
    community: entry.key,
    name: settings.communityName || entry.name,
    gridCells: cells.length,
    ...all,
    vulnerableCoverage: coverageOf(all),
    overdueCases: open.filter((r) => caseCard(r.data as Case, now, settings.caseDeadlines).card !== 'none').length,
    escalatedCases: escalated.length,
    center: centerOf(cells),
    cells: cells.map((g) => {
      const t = byCell.get(g.id) ?? noTally()
      return { id: g.id, name: g.name, polygon: g.polygon ?? null, ...t, vulnerableCoverage: coverageOf(t) }
    }),
  }
}

/** Every community's figures for the period, in the order they were added to the street. */
export async function streetOverview(deployment: Deployment, street: SessionUser, q: StreetQuery, now = Date.now()): Promise<StreetOverviewResponse> {
  const communities = await communitiesOf(deployment)
  const name = deployment.communities().find((c) => c.key === street.community)?.name ?? ''
  const rows = await Promise.all(communities.map(async (c) => communityRow(await deployment.storeOf(c.key), c, street, q, now)))
  return { from: q.from, to: q.to, street: name, communities: rows }
}

/** The cases every community escalated to the street and that wait on it, oldest first. */
export async function streetCases(deployment: Deployment): Promise<StreetCase[]> {
  const out: StreetCase[] = []
  for (const c of await communitiesOf(deployment)) {
    const store = await deployment.storeOf(c.key)
    const [settings, households] = await Promise.all([readSettings(store), registerHouseholds(store)])
    const address = new Map(households.map((h) => [h.id, h.address]))
    const escalated = (await casesInState(store, 'escalated')) as Case[]
    // Why each was escalated: its last escalation's note (a case can come up twice).
    const why = new Map<string, string>()
    for (const st of (await stepsOfCases(store, escalated.map((k) => k.id))) as CaseStep[]) if (st.action === 'escalate') why.set(st.caseId, st.note)
    for (const k of escalated)
      out.push({
        community: c.key,
        communityName: settings.communityName || c.name,
        id: k.id,
        kind: k.kind,
        category: k.category,
        title: k.title,
        description: k.description,
        place: k.place || (k.householdIds[0] ? (address.get(k.householdIds[0]) ?? '') : ''),
        urgency: k.urgency,
        reportedAt: k.reportedAt,
        updatedAt: k.updatedAt,
        deadline: k.deadline,
        escalationNote: why.get(k.id) ?? '',
      })
  }
  return out.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
}

/** The street's answer to a case a community escalated to it: a step of the case's own flow
 *  (caseFlow.ts: only from 上报街道, only by the street), written in that community's store the
 *  way its office's steps are, so its devices pull it and its history keeps who answered. */
export async function streetCaseStep(
  deployment: Deployment,
  street: SessionUser,
  community: string,
  caseId: string,
  body: StreetCaseStepRequest,
  now = new Date(),
): Promise<StreetCaseStepResponse> {
  const entry = (await communitiesOf(deployment)).find((c) => c.key === community)
  if (!entry) throw new AppError('NOT_FOUND', '找不到这个社区')
  const store = await deployment.storeOf(entry.key)
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const sent = await getRecord(trx, 'caseStep', body.stepId)
    if (sent) {
      // The same answer sent again (a lost response, a second tap) is the one already written.
      const step = sent.data as CaseStep
      if (step.caseId === caseId && step.action === body.action && step.actorId === street.id) return { community, id: caseId, state: step.to }
      throw new AppError('ID_TAKEN', '这一步的编号已被占用')
    }
    const input = { stepId: body.stepId, action: body.action, note: body.note, handlerTeamId: null, deadline: null, visitId: null, photoIds: [], at }
    const { state } = await stepCase(trx, street, caseId, input, at)
    return { community, id: caseId, state }
  })
}
