import { isOpen } from './caseFlow'
import { isMatterOpen } from './matterFlow'
import type { Case, CaseState, Team } from './schemas/case'
import type { Matter, MatterStage, Meeting } from './schemas/matter'

// 三方议事: for each compound, what is open between the community, the property company (物业) and
// the owners' committee (业委会) — the cases and matters that involve either of them — and whose
// turn it is, so the three sides work from one list.

export type Party = 'property' | 'owners_committee'
/** Whose turn: the community's office, the grid worker, a handling team (by name), the owners
 *  (a vote, their money, their judgement), or the street (a case sent up). */
export type NextBy = { kind: 'community' } | { kind: 'grid_worker' } | { kind: 'team'; name: string; party: Party | null } | { kind: 'owners' } | { kind: 'street' }

export interface BoardItem {
  kind: 'case' | 'matter'
  id: string
  title: string
  state: CaseState | MatterStage
  involves: Party[]
  nextBy: NextBy
  /** Since when it waits for that step (the last change). */
  since: string
  /** A case's handling deadline, when it has one. */
  deadline: string | null
}

export interface CompoundBoard {
  compound: string
  items: BoardItem[]
}

const partyOfTeam = (t: Team | undefined): Party | null => (t?.kind === 'property' || t?.kind === 'owners_committee' ? t.kind : null)

/** Whose turn a case is, by its state (caseFlow's CASE_FLOW says who may take each step). */
export function caseNextBy(state: CaseState, team: Team | undefined): NextBy {
  if (state === 'reported' || state === 'accepted' || state === 'verified') return { kind: 'community' }
  if (state === 'assigned' || state === 'in_progress') return team ? { kind: 'team', name: team.name, party: partyOfTeam(team) } : { kind: 'community' }
  if (state === 'escalated') return { kind: 'street' }
  // resolved (谁调处谁回访: the worker checks) and returned (the worker resubmits)
  return { kind: 'grid_worker' }
}

/** Whose turn a matter is, by its stage: the community calls the meetings and carries out the
 *  work; the owners decide, pay and judge. */
export function matterNextBy(stage: MatterStage): NextBy {
  return stage === 'discussed' || stage === 'decided' || stage === 'done' ? { kind: 'owners' } : { kind: 'community' }
}

export interface BoardSources {
  cases: readonly Case[]
  teams: readonly Team[]
  matters: readonly Matter[]
  meetings: readonly Meeting[]
  /** The compound of a household (through its building), for a case. */
  compoundOfHousehold: (householdId: string) => string | undefined
  /** The compound of a building, for a matter's scope. */
  compoundOfBuilding: (buildingId: string) => string | undefined
}

/** A case involves a side when that side handles it (the team is 物业 or 业委会) or it is about
 *  物业管理; a matter when that side was asked to one of its meetings. */
export function threePartyBoard(src: BoardSources): CompoundBoard[] {
  const teamById = new Map(src.teams.map((t) => [t.id, t]))
  const byCompound = new Map<string, BoardItem[]>()
  const add = (compound: string | undefined, item: BoardItem) => {
    if (!compound || !item.involves.length) return
    const list = byCompound.get(compound)
    if (list) list.push(item)
    else byCompound.set(compound, [item])
  }
  for (const c of src.cases) {
    if (!isOpen(c.state)) continue
    const team = c.handlerTeamId ? teamById.get(c.handlerTeamId) : undefined
    const involves = new Set<Party>()
    const party = partyOfTeam(team)
    if (party) involves.add(party)
    if (c.category === 'property') involves.add('property')
    const compound = c.householdIds.map(src.compoundOfHousehold).find(Boolean)
    add(compound, { kind: 'case', id: c.id, title: c.title, state: c.state, involves: [...involves].sort(), nextBy: caseNextBy(c.state, team), since: c.updatedAt, deadline: c.deadline })
  }
  for (const m of src.matters) {
    if (!isMatterOpen(m.stage) || m.scope.kind === 'community') continue
    const involves = new Set<Party>()
    for (const meeting of src.meetings)
      if (meeting.matterId === m.id) for (const p of meeting.parties) if (p.kind === 'property' || p.kind === 'owners_committee') involves.add(p.kind)
    const compound = m.scope.kind === 'compound' ? m.scope.compound : src.compoundOfBuilding(m.scope.buildingId)
    add(compound, { kind: 'matter', id: m.id, title: m.title, state: m.stage, involves: [...involves].sort(), nextBy: matterNextBy(m.stage), since: m.updatedAt, deadline: null })
  }
  return [...byCompound]
    .map(([compound, items]) => ({ compound, items: items.sort((a, b) => a.since.localeCompare(b.since)) }))
    .sort((a, b) => b.items.length - a.items.length || a.compound.localeCompare(b.compound, 'zh-CN'))
}
