import { beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_POINT_RULES,
  Need,
  offerPeriodOf,
  pointsFor,
  pointsTable,
  Project,
  PROJECT_STATUSES,
  Resource,
  ServiceRecord,
  summarizeNeeds,
} from '../../src/domain'
import { generateCommunity, type DemoCommunity } from '../../src/demo/generate'

// The demo's three lists (src/demo/lists.ts): what `npm start` shows a newcomer must be a
// community the server's own rules could have produced, and must show what the lists are for.

const NOW = Date.UTC(2026, 10, 21, 8)

/** Everything wrong with a community's lists: shapes, references, states, capacity, points. */
function listProblems(c: DemoCommunity, now: number): string[] {
  const p: string[] = []
  const households = new Map(c.households.map((h) => [h.id, h]))
  const visits = new Map(c.visits.map((v) => [v.id, v]))
  const resources = new Map(c.resources.map((r) => [r.id, r]))
  const residents = new Set(c.residents.map((r) => r.id))
  const teams = new Set(c.teams.map((t) => t.id))
  const projects = new Map(c.projects.map((x) => [x.id, x]))
  const needs = new Map(c.needs.map((n) => [n.id, n]))
  const offers = new Map(c.resources.flatMap((r) => r.offers.map((o) => [o.id, { r, o }] as const)))
  const t = (s: string | null) => (s === null ? null : Date.parse(s))
  for (const [schema, records] of [
    [Need, c.needs],
    [Resource, c.resources],
    [Project, c.projects],
    [ServiceRecord, c.serviceRecords],
  ] as const)
    for (const r of records as readonly { id: string }[]) {
      const parsed = schema.safeParse(r)
      if (!parsed.success) p.push(`${r.id}: ${parsed.error.issues[0]!.message}`)
    }
  for (const r of c.resources) {
    if (r.teamId && !teams.has(r.teamId)) p.push(`resource ${r.name}: unknown team`)
    if (r.volunteer?.residentId && !residents.has(r.volunteer.residentId)) p.push(`volunteer ${r.name}: unknown resident`)
  }
  const ordersPerPeriod = new Map<string, number>()
  for (const n of c.needs) {
    const where = `need ${n.id} (${n.status}, ${n.source.kind})`
    for (const hid of n.householdIds) if (households.get(hid)?.gridId !== n.gridId) p.push(`${where}: a household not of its cell`)
    const raised = t(n.raisedAt)!
    if (raised > now) p.push(`${where}: raised in the future`)
    for (const [name, at] of [['matchedAt', n.matchedAt], ['metAt', n.metAt], ['closedAt', n.closedAt], ['updatedAt', n.updatedAt]] as const) {
      if (at !== null && (t(at)! < raised || t(at)! > now)) p.push(`${where}: ${name} before it was raised or in the future`)
    }
    if (n.metAt && n.matchedAt && t(n.metAt)! < t(n.matchedAt)!) p.push(`${where}: met before matched`)
    if (n.resourceId && !resources.has(n.resourceId)) p.push(`${where}: unknown resource`)
    if (n.projectId && !projects.get(n.projectId)?.needIds.includes(n.id)) p.push(`${where}: its project does not list it`)
    const s = n.source
    if (s.kind === 'visit' || ((s.kind === 'campaign' || s.kind === 'order') && s.visitId)) {
      const v = visits.get((s as { visitId: string }).visitId)
      if (!v || !n.householdIds.includes(v.householdId)) p.push(`${where}: its visit is not of its household`)
      else if (t(v.startedAt)! > raised) p.push(`${where}: raised before its visit`)
      if (s.kind === 'campaign' && v?.campaignId !== s.campaignId) p.push(`${where}: not a visit of its campaign`)
    }
    if (s.kind === 'order') {
      const found = offers.get(s.offerId)
      if (!found || !found.o.onMenu) p.push(`${where}: not an offer of the menu`)
      else {
        if (n.resourceId !== found.r.id || n.category !== found.o.category || n.matchedAt !== n.raisedAt || !n.dueAt) p.push(`${where}: not matched to its offer's resource at once`)
        if (found.o.period && n.status !== 'closed') {
          const key = `${s.offerId}|${offerPeriodOf(n.raisedAt, found.o.period).start}`
          ordersPerPeriod.set(key, (ordersPerPeriod.get(key) ?? 0) + 1)
          if (ordersPerPeriod.get(key)! > found.o.capacity!) p.push(`${where}: over the offer's capacity`)
        }
      }
    }
  }
  for (const x of c.projects) {
    for (const id of x.needIds) {
      const n = needs.get(id)
      if (!n) p.push(`project ${x.title}: unknown need`)
      else if ((x.status === 'done' || x.status === 'evaluated') && n.status !== 'met') p.push(`project ${x.title}: done but a need is ${n.status}`)
      else if ((x.status === 'planning' || x.status === 'doing') && (n.status !== 'matched' || n.projectId !== x.id)) p.push(`project ${x.title}: a need not matched by it`)
    }
    if (x.status !== 'planning' && !x.startedAt) p.push(`project ${x.title}: never started`)
    if ((x.status === 'done' || x.status === 'evaluated') && !x.doneAt) p.push(`project ${x.title}: no doneAt`)
    if (x.status === 'evaluated' && (!x.evaluatedAt || !x.evaluation)) p.push(`project ${x.title}: no evaluation`)
    for (const id of x.resourceIds) if (!resources.has(id)) p.push(`project ${x.title}: unknown resource`)
  }
  for (const r of c.serviceRecords) {
    if (resources.get(r.resourceId)?.kind !== 'volunteer') p.push(`service ${r.id}: not a volunteer's`)
    if (r.needId && !needs.has(r.needId)) p.push(`service ${r.id}: unknown need`)
    if (r.projectId && !projects.has(r.projectId)) p.push(`service ${r.id}: unknown project`)
    if (r.day > new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)) p.push(`service ${r.id}: in the future`)
    if (r.status === 'confirmed' && r.points !== pointsFor(DEFAULT_POINT_RULES, r.category, r.hours).points) p.push(`service ${r.id}: points not by the rule table`)
  }
  return p
}

describe('the demo’s three lists', () => {
  let c: DemoCommunity
  beforeAll(() => {
    c = generateCommunity({ now: NOW })
  })

  it('are records the server’s rules could have made: shapes, references, states, capacity, points', () => {
    expect(listProblems(c, NOW)).toEqual([])
    const all = [...c.needs, ...c.resources, ...c.projects, ...c.serviceRecords].map((r) => r.id)
    const others = new Set([...c.households, ...c.residents, ...c.visits, ...c.cases, ...c.campaigns, ...c.campaignTargets, ...c.teams].map((r) => r.id))
    expect(new Set(all).size).toBe(all.length)
    expect(all.filter((id) => others.has(id))).toEqual([])
  })

  it('draw needs from the visits’ 群众诉求, a few from a campaign, the office and the menu', () => {
    const kinds = new Map<string, number>()
    for (const n of c.needs) kinds.set(n.source.kind, (kinds.get(n.source.kind) ?? 0) + 1)
    expect(kinds.get('visit')).toBeGreaterThan(300)
    for (const k of ['campaign', 'office', 'order']) expect(kinds.get(k), k).toBeGreaterThan(0)
    const fromVisits = c.needs.filter((n) => n.source.kind === 'visit')
    const visits = new Map(c.visits.map((v) => [v.id, v]))
    // Most say what the visit's 群众诉求 said.
    expect(fromVisits.filter((n) => visits.get((n.source as { visitId: string }).visitId)!.needs === n.description).length).toBeGreaterThan(fromVisits.length / 2)
    expect(new Set(c.needs.map((n) => n.status))).toEqual(new Set(['open', 'matched', 'met', 'closed']))
  })

  it('make 助餐 in a few buildings of the old compound the first line of the open needs', () => {
    const summary = summarizeNeeds({
      needs: c.needs.filter((n) => n.status === 'open'),
      households: new Map(c.households.map((h) => [h.id, h])),
      buildings: new Map(c.buildings.map((b) => [b.id, b])),
      grids: new Map(c.gridCells.map((g) => [g.id, g])),
    })
    const [first, second] = summary.byCategory
    expect(first!.category).toBe('meals')
    expect(first!.households).toBeGreaterThanOrEqual(2 * second!.households)
    expect(first!.line).toMatch(/^\d+ 户需要助餐，其中 2\d 户在教师新村\d–\d号楼$/)
    expect(summary.byCategory.length).toBeGreaterThanOrEqual(6)
  })

  it('have resources of every kind, a service menu with capacities, and projects at every stage', () => {
    expect(new Set(c.resources.map((r) => r.kind))).toEqual(new Set(['unit', 'team', 'volunteer']))
    expect(new Set(c.resources.filter((r) => r.kind === 'unit').map((r) => r.unitType))).toEqual(new Set(['hospital', 'school', 'company', 'government']))
    expect(c.resources.filter((r) => r.teamId !== null).map((r) => r.name)).toEqual(expect.arrayContaining(['律师会客厅', '调解室']))
    const volunteers = c.resources.filter((r) => r.kind === 'volunteer')
    expect(volunteers.length).toBeGreaterThanOrEqual(6)
    expect(volunteers.every((v) => v.volunteer!.residentId !== null)).toBe(true)
    expect(volunteers.some((v) => v.volunteer!.partyMember)).toBe(true)
    const menu = c.resources.flatMap((r) => r.offers.filter((o) => o.onMenu))
    expect(menu.length).toBeGreaterThanOrEqual(8)
    expect(menu.some((o) => o.capacity !== null && o.period === 'week') && menu.some((o) => o.period === 'month') && menu.some((o) => o.capacity === null)).toBe(true)
    expect(c.projects.map((p) => p.status).sort()).toEqual([...PROJECT_STATUSES].sort())
  })

  it('have volunteers’ hours waiting, confirmed with points and not confirmed, on a list naming only those who agreed', () => {
    const statuses = new Set(c.serviceRecords.map((r) => r.status))
    expect(statuses.has('recorded') && statuses.has('confirmed')).toBe(true)
    const table = pointsTable({ from: '2026-08-01', to: '2026-11-21', records: c.serviceRecords, resources: c.resources })
    expect(table.total.points).toBeGreaterThan(0)
    expect(table.volunteers.some((v) => v.named) && table.volunteers.some((v) => !v.named)).toBe(true)
  })

  it('keep to the rules at other sizes, and are the same every time', () => {
    for (const households of [150, 800]) expect(listProblems(generateCommunity({ households, now: NOW }), NOW), String(households)).toEqual([])
    const again = generateCommunity({ now: NOW })
    expect(again.needs).toEqual(c.needs)
    expect(again.serviceRecords).toEqual(c.serviceRecords)
  })
})
