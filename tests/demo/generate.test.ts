import { beforeAll, describe, expect, it } from 'vitest'
import {
  Building,
  Case,
  caseCard,
  CaseStep,
  CATEGORIES,
  ChecklistTemplate,
  checkAnswers,
  checkTransition,
  Comment,
  DEFAULT_CASE_DEADLINES,
  GridCell,
  Household,
  maskIdNumber,
  Resident,
  Team,
  User,
  Visit,
  type CaseActor,
  type CaseState,
  type Tag,
} from '../../src/domain'
import { pinyinKey } from '../../src/domain/pinyinKey'
import { attentionOf, generateCommunity, type DemoCommunity } from '../../src/demo/generate'

const NOW = Date.UTC(2026, 10, 21, 8)

function inPolygon(lng: number, lat: number, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function validIdChecksum(id: string): boolean {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * w[i]!
  return '10X98765432'[sum % 11] === id[17]
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>()
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1)
  return m
}

/** Everything wrong with a community's cases: references, timing, and each history replayed
 *  through the closed-loop rules (checkTransition) from null → reported to the case's state. */
function caseProblems(c: DemoCommunity, now: number): string[] {
  const problems: string[] = []
  const households = new Map(c.households.map((h) => [h.id, h]))
  const residents = new Map(c.residents.map((r) => [r.id, r]))
  const visits = new Map(c.visits.map((v) => [v.id, v]))
  const teams = new Set(c.teams.map((t) => t.id))
  const secretary = c.users.find((u) => u.role === 'secretary')!
  const workerOf = new Map(c.users.filter((u) => u.role === 'worker').map((u) => [u.gridIds[0]!, u]))
  const stepsOf = new Map<string, DemoCommunity['caseSteps']>()
  let prevAt = ''
  for (const s of c.caseSteps) {
    if (s.at < prevAt) problems.push(`steps not in time order at ${s.id}`)
    prevAt = s.at
    stepsOf.set(s.caseId, [...(stepsOf.get(s.caseId) ?? []), s])
  }
  const caseIds = new Set(c.cases.map((x) => x.id))
  for (const id of stepsOf.keys()) if (!caseIds.has(id)) problems.push(`steps of unknown case ${id}`)

  for (const x of c.cases) {
    const p = (m: string) => problems.push(`${x.id} (${x.title}): ${m}`)
    const worker = workerOf.get(x.gridId)
    if (!worker) p('no worker for its grid')
    if (x.reporterId !== worker?.id) p('reporter is not the grid worker')
    if (!(CATEGORIES[x.kind] as readonly string[]).includes(x.category)) p('category')
    for (const h of x.householdIds) if (households.get(h)?.gridId !== x.gridId) p(`household ${h} not in the grid`)
    for (const r of x.residentIds) if (!x.householdIds.includes(residents.get(r)?.householdId ?? '')) p(`resident ${r} not in its households`)
    if (x.householdIds.length === 0 && !x.place) p('neither household nor place')
    if (x.photoIds.length > 0) p('photos')
    if (x.visitId !== null) {
      const v = visits.get(x.visitId)
      if (!v || !x.householdIds.includes(v.householdId)) p('visit of another household')
      else if (!(v.startedAt < x.reportedAt) || Date.parse(x.reportedAt) - Date.parse(v.startedAt) > 5 * 86_400_000) p('visit not shortly before')
    }
    if (Date.parse(x.reportedAt) >= now || Date.parse(x.updatedAt) >= now) p('in the future')

    const steps = stepsOf.get(x.id) ?? []
    const first = steps[0]
    if (!first || first.action !== 'report' || first.from !== null || first.to !== 'reported') {
      p('does not start with a report')
      continue
    }
    if (first.actorId !== x.reporterId || first.at !== x.reportedAt) p('report step is not the reporter at reportedAt')
    let state: CaseState = 'reported'
    let handlerTeamId: string | null = null
    let deadline: string | null = null
    for (const [i, s] of steps.entries()) {
      if (s.gridId !== x.gridId) p(`step ${i} grid`)
      if (Date.parse(s.at) >= now) p(`step ${i} in the future`)
      if (i > 0 && !(s.at > steps[i - 1]!.at)) p(`step ${i} not after the one before`)
      if (s.photoIds.length > 0) p(`step ${i} photos`)
      if (s.visitId !== null) {
        const v = visits.get(s.visitId)
        if (s.action !== 'verify' || !v || !x.householdIds.includes(v.householdId) || !(v.startedAt < s.at)) p(`step ${i} visit`)
      }
      if ((s.action === 'assign') !== (s.handlerTeamId !== null) || (s.action === 'assign') !== (s.deadline !== null)) p(`step ${i} handler/deadline`)
      if (i === 0) continue
      if (s.action === 'report') {
        p(`step ${i} is a second report`)
        continue
      }
      const actor: CaseActor | null = s.actorId === secretary.id ? 'secretary' : s.actorId === worker?.id ? 'grid_worker' : null
      const expectedName = actor === 'secretary' ? secretary.name : worker?.name
      if (s.actorName !== expectedName) p(`step ${i} actor name`)
      if (s.from !== state) p(`step ${i} from ${s.from}, case was ${state}`)
      const check = checkTransition(state, s.action, actor, { note: s.note, handlerTeamId: s.handlerTeamId })
      if (!check.ok) p(`step ${i} ${s.action}: ${check.message}`)
      else {
        if (check.to !== s.to) p(`step ${i} goes to ${s.to}, the flow says ${check.to}`)
        state = check.to
      }
      if (s.action === 'assign') {
        if (!teams.has(s.handlerTeamId!)) p(`step ${i} unknown team`)
        if (!(s.deadline! > s.at)) p(`step ${i} deadline before the step`)
        handlerTeamId = s.handlerTeamId
        deadline = s.deadline
      }
    }
    if (state !== x.state) p(`replays to ${state}, case says ${x.state}`)
    if (x.updatedAt !== steps[steps.length - 1]!.at) p('updatedAt is not the last step')
    if (x.handlerTeamId !== handlerTeamId) p('handlerTeamId is not the last assignment')
    if (x.deadline !== deadline) p('deadline is not the last assignment')
  }

  for (const m of c.comments) {
    const v = visits.get(m.visitId)
    if (!v) problems.push(`comment ${m.id}: unknown visit`)
    else {
      if (v.gridId !== m.gridId) problems.push(`comment ${m.id}: grid`)
      if (!(m.at > v.startedAt) || Date.parse(m.at) >= now) problems.push(`comment ${m.id}: time`)
    }
    if (m.authorId !== secretary.id || m.authorName !== secretary.name) problems.push(`comment ${m.id}: author`)
  }
  return problems
}

let c: DemoCommunity

beforeAll(() => {
  c = generateCommunity()
})

describe('generateCommunity: determinism', () => {
  it('gives the same community for the same options', () => {
    expect(JSON.stringify(generateCommunity())).toBe(JSON.stringify(c))
  })

  it('gives a different community for another seed', () => {
    const a = generateCommunity({ households: 150, seed: 1 })
    const b = generateCommunity({ households: 150, seed: 2 })
    expect(a.households.map((h) => h.id)).not.toEqual(b.households.map((h) => h.id))
    expect(a.residents.map((r) => r.name)).not.toEqual(b.residents.map((r) => r.name))
    expect(JSON.stringify(generateCommunity({ households: 150, seed: 1 }))).toBe(JSON.stringify(a))
  })
})

describe('generateCommunity: default size', () => {
  it('has the expected counts', () => {
    expect(c.name).toBe('幸福里社区')
    expect(c.gridCells).toHaveLength(13)
    expect(c.gridCells.map((g) => g.code)).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(3, '0')))
    expect(c.gridCells[0]!.name).toBe('第一网格')
    expect(c.gridCells[12]!.name).toBe('第十三网格')
    const residential = c.buildings.filter((b) => b.kind === 'residential')
    expect(residential.length).toBeGreaterThanOrEqual(35)
    expect(residential.length).toBeLessThanOrEqual(50)
    expect(c.buildings.some((b) => b.kind === 'bungalow')).toBe(true)
    expect(c.households.length).toBeGreaterThanOrEqual(2850)
    expect(c.households.length).toBeLessThanOrEqual(3150)
    expect(c.residents.length).toBeGreaterThanOrEqual(7000)
    expect(c.residents.length).toBeLessThanOrEqual(9000)
    expect(c.templates.map((t) => t.code).sort()).toEqual(['care', 'elevator_vote', 'gas_inspection', 'outreach', 'routine', 'safety'])
  })

  it('has one worker per grid cell, a secretary and an admin', () => {
    const names = c.users.map((u) => u.username)
    expect(names).toEqual([...Array.from({ length: 13 }, (_, i) => `grid${String(i + 1).padStart(2, '0')}`), 'secretary', 'admin'])
    for (const [i, g] of c.gridCells.entries()) {
      const u = c.users[i]!
      expect(u.role).toBe('worker')
      expect(u.gridIds).toEqual([g.id])
      expect(u.sensitiveTags).toBe(false)
    }
    expect(c.users.find((u) => u.username === 'secretary')).toMatchObject({ role: 'secretary', gridIds: [], sensitiveTags: true })
    expect(c.users.find((u) => u.username === 'admin')).toMatchObject({ role: 'admin', gridIds: [], sensitiveTags: true })
    expect(c.users.every((u) => u.password === 'zoufang')).toBe(true)
  })

  it('every record parses with its schema', () => {
    for (const g of c.gridCells) expect(GridCell.safeParse(g).error).toBeUndefined()
    for (const b of c.buildings) expect(Building.safeParse(b).error).toBeUndefined()
    for (const t of c.templates) expect(ChecklistTemplate.safeParse(t).error).toBeUndefined()
    for (const u of c.users) expect(User.safeParse(u).error).toBeUndefined()
    // One expect per collection: tens of thousands of expects would dominate the run time.
    const bad = (schema: { safeParse(x: unknown): { success: boolean } }, items: readonly unknown[]) =>
      items.filter((x) => !schema.safeParse(x).success)
    expect(bad(Household, c.households)).toEqual([])
    expect(bad(Resident, c.residents)).toEqual([])
    expect(bad(Visit, c.visits)).toEqual([])
  })

  it('has unique ids', () => {
    const ids = [c.gridCells, c.buildings, c.households, c.residents, c.templates, c.visits, c.users].flatMap((xs) => xs.map((x) => x.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('puts every building inside its grid cell, and every cell has buildings and households', () => {
    const cells = new Map(c.gridCells.map((g) => [g.id, g]))
    const buildings = new Map(c.buildings.map((b) => [b.id, b]))
    for (const g of c.gridCells) {
      const ring = g.polygon!.coordinates[0]!
      expect(ring[0]).toEqual(ring[ring.length - 1])
      const lngs = ring.map((p) => p[0])
      const lats = ring.map((p) => p[1])
      const widthM = (Math.max(...lngs) - Math.min(...lngs)) * 111_320 * Math.cos((36.19 * Math.PI) / 180)
      const heightM = (Math.max(...lats) - Math.min(...lats)) * 111_320
      expect(widthM).toBeGreaterThan(130)
      expect(widthM).toBeLessThan(280)
      expect(heightM).toBeGreaterThan(130)
      expect(heightM).toBeLessThan(280)
      expect(Math.abs(lats[0]! - 36.19)).toBeLessThan(0.01)
      expect(Math.abs(lngs[0]! - 117.12)).toBeLessThan(0.01)
    }
    for (const b of c.buildings) {
      const ring = cells.get(b.gridId)!.polygon!.coordinates[0]!
      expect(b.location).not.toBeNull()
      expect(inPolygon(b.location!.lng, b.location!.lat, ring)).toBe(true)
      if (b.kind === 'bungalow') expect([b.units, b.floors]).toEqual([0, 1])
      else {
        expect(b.floors).toBeGreaterThanOrEqual(6)
        expect(b.floors).toBeLessThanOrEqual(18)
        expect(b.units).toBeGreaterThanOrEqual(2)
        expect(b.units).toBeLessThanOrEqual(4)
      }
    }
    for (const h of c.households) expect(buildings.get(h.buildingId!)!.gridId).toBe(h.gridId)
    const buildingsPerCell = countBy(c.buildings, (b) => b.gridId)
    const householdsPerCell = countBy(c.households, (h) => h.gridId)
    for (const g of c.gridCells) {
      expect(buildingsPerCell.get(g.id) ?? 0).toBeGreaterThan(0)
      expect(householdsPerCell.get(g.id) ?? 0).toBeGreaterThan(0)
    }
  })

  it('writes addresses the way people do', () => {
    const buildings = new Map(c.buildings.map((b) => [b.id, b]))
    for (const h of c.households) {
      const b = buildings.get(h.buildingId!)!
      if (b.kind === 'residential') {
        expect(h.address).toBe(`${b.compound}${b.number}${h.unit}单元${h.room}室`)
        expect(h.room).toMatch(new RegExp(`^${h.floor}0[1-9]$`))
      } else {
        expect(h.address).toMatch(/^.+平房\d+号$/)
        expect(h.unit).toBeNull()
        expect([null, 1]).toContain(h.floor)
      }
    }
    expect(c.households.some((h) => h.address.startsWith('机床厂宿舍'))).toBe(true)
  })

  it('keeps households consistent with their residents', () => {
    const byHousehold = new Map<string, DemoCommunity['residents']>()
    for (const r of c.residents) byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), r])
    for (const h of c.households) {
      const people = byHousehold.get(h.id) ?? []
      expect(people.length).toBeLessThanOrEqual(6)
      for (const r of people) expect(r.gridId).toBe(h.gridId)
      const union = new Set<Tag>(people.flatMap((r) => r.tags))
      if (h.housing === 'rented') union.add('rental')
      expect(new Set(h.tags)).toEqual(union)
      expect(h.attention).toBe(attentionOf(h.tags))
      expect(h.searchKey).toBe(pinyinKey(people.map((r) => r.name)))
      const head = people.find((r) => r.relation === 'head')
      if (people.length > 0) expect(h.headName).toBe(head!.name)
      if (head) {
        for (const r of people) {
          if (r.relation === 'child' || r.relation === 'grandchild') expect(r.birthYear).toBeGreaterThan(head.birthYear)
          if (r.relation === 'parent') expect(r.birthYear).toBeLessThan(head.birthYear)
        }
        expect(2026 - head.birthYear).toBeGreaterThanOrEqual(18)
      }
    }
    const shares = countBy(c.households, (h) => h.housing)
    expect(shares.get('owner')! / c.households.length).toBeGreaterThan(0.6)
    expect(shares.get('rented')! / c.households.length).toBeGreaterThan(0.12)
    expect(shares.get('vacant')! / c.households.length).toBeGreaterThan(0.05)
    expect(c.households.filter((h) => h.residency === 'consistent').length / c.households.length).toBeGreaterThan(0.7)
    expect(c.households.filter((h) => h.phone !== null).length / c.households.length).toBeGreaterThan(0.85)
  })

  it('gives residents plausible names, phones and ID numbers', () => {
    for (const r of c.residents) {
      expect(r.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/)
      if (r.phone !== null) expect(r.phone).toMatch(/^1[35789]\d{9}$/)
      if (r.idNumber !== null) {
        expect(r.idNumber).toMatch(/^\d{17}[\dX]$/)
        expect(validIdChecksum(r.idNumber)).toBe(true)
        expect(Number(r.idNumber.slice(6, 10))).toBe(r.birthYear)
        expect(Number(r.idNumber[16]) % 2).toBe(r.sex === 'M' ? 1 : 0)
        expect(r.idMasked).toBe(maskIdNumber(r.idNumber))
      } else expect(r.idMasked).toBeNull()
      if (r.political === 'party') expect(2026 - r.birthYear).toBeGreaterThanOrEqual(18)
      if (2026 - r.birthYear >= 80) expect(r.tags).toContain('aged_80')
    }
    expect(c.residents.filter((r) => r.idNumber?.startsWith('370902')).length / c.residents.length).toBeGreaterThan(0.7)
    const adults = c.residents.filter((r) => 2026 - r.birthYear >= 18)
    const party = adults.filter((r) => r.political === 'party').length / adults.length
    expect(party).toBeGreaterThan(0.05)
    expect(party).toBeLessThan(0.12)
    expect(new Set(c.residents.map((r) => r.name[0])).size).toBeGreaterThan(30)
  })

  it('has tag rates close to the domain description', () => {
    const withTag = (t: Tag) => c.households.filter((h) => h.tags.includes(t)).length
    const dibaoShare = withTag('dibao') / c.households.length
    expect(dibaoShare).toBeGreaterThanOrEqual(0.01)
    expect(dibaoShare).toBeLessThanOrEqual(0.06)
    expect(withTag('disabled')).toBeGreaterThanOrEqual(60)
    expect(withTag('disabled')).toBeLessThanOrEqual(110)
    expect(withTag('serious_illness')).toBeGreaterThanOrEqual(20)
    expect(withTag('serious_illness')).toBeLessThanOrEqual(45)
    expect(withTag('elderly_alone')).toBeGreaterThan(30)
    expect(withTag('empty_nest')).toBeGreaterThan(30)
    expect(withTag('migrant')).toBeGreaterThan(50)
    for (const t of ['correction', 'released', 'mental_illness', 'drug'] as const) {
      expect(withTag(t)).toBeGreaterThanOrEqual(1)
      expect(withTag(t)).toBeLessThanOrEqual(12)
    }
    // Many laid-off workers in the old factory compound, few elsewhere.
    const factory = c.households.filter((h) => h.address.startsWith('机床厂宿舍'))
    const elsewhere = c.households.filter((h) => !h.address.startsWith('机床厂宿舍'))
    const share = (hs: typeof c.households) => hs.filter((h) => h.tags.includes('unemployed')).length / hs.length
    expect(share(factory)).toBeGreaterThan(3 * share(elsewhere))
    const attention = countBy(c.households, (h) => h.attention)
    expect(attention.get('high')).toBeGreaterThan(50)
    expect(attention.get('key')).toBeGreaterThan(150)
  })

  it('has a year of visits, none in the future, all well-formed', () => {
    const households = new Map(c.households.map((h) => [h.id, h]))
    const residentHousehold = new Map(c.residents.map((r) => [r.id, r.householdId]))
    const templates = new Map(c.templates.map((t) => [t.id, t]))
    const worker = new Map(c.users.filter((u) => u.role === 'worker').map((u) => [u.gridIds[0]!, u.id]))
    const problems: string[] = []
    let prev = ''
    for (const v of c.visits) {
      const ms = Date.parse(v.startedAt)
      if (ms > NOW) problems.push(`future ${v.id}`)
      if (ms < Date.UTC(2025, 10, 21, 0)) problems.push(`too old ${v.id}`)
      if (!v.startedAt.endsWith('Z')) problems.push(`no Z ${v.id}`)
      if (v.startedAt < prev) problems.push(`unsorted ${v.id}`)
      prev = v.startedAt
      const chinaHour = (new Date(ms).getUTCHours() + 8) % 24
      if (chinaHour < 8 || chinaHour >= 18) problems.push(`night ${v.startedAt}`)
      const h = households.get(v.householdId)
      if (!h || h.gridId !== v.gridId) problems.push(`household/grid ${v.id}`)
      if (worker.get(v.gridId) !== v.workerId) problems.push(`worker ${v.id}`)
      if ((v.outcome === 'not_home' || v.outcome === 'refused') && v.residentIds.length > 0) problems.push(`residents ${v.id}`)
      for (const r of v.residentIds) if (residentHousehold.get(r) !== v.householdId) problems.push(`resident ${v.id}`)
      if (v.templateId !== null) {
        const t = templates.get(v.templateId)
        if (!t || t.version !== v.templateVersion) problems.push(`template ${v.id}`)
        else if (checkAnswers(t, v.answers).length > 0) problems.push(`answers ${v.id}`)
      } else if (Object.keys(v.answers).length > 0) problems.push(`answers without template ${v.id}`)
      if (v.location && (v.location.source !== 'gps' || v.location.accuracy! < 5 || v.location.accuracy! > 40)) problems.push(`location ${v.id}`)
    }
    expect(problems.slice(0, 10)).toEqual([])

    const outcomes = countBy(c.visits, (v) => v.outcome)
    const share = (o: string) => (outcomes.get(o) ?? 0) / c.visits.length
    expect(share('met')).toBeGreaterThan(0.7)
    expect(share('not_home')).toBeGreaterThan(0.06)
    expect(share('not_home')).toBeLessThan(0.2)
    expect(share('phone')).toBeGreaterThan(0.02)
    expect(share('refused')).toBeGreaterThan(0.005)
    expect(c.visits.filter((v) => v.location !== null).length / c.visits.length).toBeGreaterThan(0.6)
    expect(c.visits.filter((v) => v.needs !== '').length).toBeGreaterThan(0)
    expect(c.visits.filter((v) => v.followUpDate !== null).length / c.visits.length).toBeLessThan(0.1)
    const codes = countBy(c.visits, (v) => templates.get(v.templateId ?? '')?.code ?? 'none')
    for (const code of ['routine', 'care', 'safety', 'outreach']) expect(codes.get(code) ?? 0).toBeGreaterThan(100)
  })

  it('visits high-attention households far more often than ordinary ones', () => {
    const perHousehold = countBy(c.visits, (v) => v.householdId)
    const mean = (level: string) => {
      const hs = c.households.filter((h) => h.attention === level && h.tags.length > 0 && h.housing !== 'vacant')
      return hs.reduce((a, h) => a + (perHousehold.get(h.id) ?? 0), 0) / hs.length
    }
    expect(mean('high')).toBeGreaterThan(40)
    expect(mean('key')).toBeGreaterThan(10)
    expect(mean('high')).toBeGreaterThan(3 * mean('key'))
  })

  it('gives grid01 a worker-sized year of visits', () => {
    const grid01 = c.gridCells.find((g) => g.code === '001')!
    const n = c.visits.filter((v) => v.gridId === grid01.id).length
    expect(n).toBeGreaterThanOrEqual(1500)
    expect(n).toBeLessThanOrEqual(3500)
  })
})

describe('generateCommunity: cases', () => {
  const bad = (schema: { safeParse(x: unknown): { success: boolean } }, items: readonly unknown[]) => items.filter((x) => !schema.safeParse(x).success)
  const open = () => c.cases.filter((x) => x.state !== 'closed')

  it('has the handling teams as data', () => {
    expect(c.teams.map((t) => [t.name, t.kind, t.active])).toEqual([
      ['调解室', 'mediation', true],
      ['律师会客厅', 'lawyer', true],
      ['物业公司', 'property', true],
      ['业委会', 'owners_committee', true],
      ['志愿服务队', 'volunteer', true],
      ['街道', 'street', true],
      ['网格员', 'grid', true],
    ])
  })

  it('has about one case per 15–20 households, a few dozen of them open', () => {
    expect(c.cases.length).toBeGreaterThanOrEqual(c.households.length / 20)
    expect(c.cases.length).toBeLessThanOrEqual(c.households.length / 15)
    expect(open().length).toBeGreaterThanOrEqual(25)
    expect(open().length).toBeLessThanOrEqual(60)
    // Open cases stop at every kind of state.
    expect(new Set(open().map((x) => x.state))).toEqual(new Set(['reported', 'accepted', 'assigned', 'in_progress', 'resolved', 'verified', 'escalated', 'returned']))
    const first = Math.min(...c.cases.map((x) => Date.parse(x.reportedAt)))
    expect(first).toBeGreaterThanOrEqual(Date.UTC(2025, 9, 21))
    expect(c.caseSteps.length).toBeGreaterThan(4 * c.cases.length)
  })

  it('has kinds, categories and urgencies in realistic shares', () => {
    const share = (n: number | undefined) => (n ?? 0) / c.cases.length
    const kinds = countBy(c.cases, (x) => x.kind)
    expect(share(kinds.get('dispute'))).toBeGreaterThan(0.3)
    expect(share(kinds.get('dispute'))).toBeLessThan(0.5)
    expect(share(kinds.get('need'))).toBeGreaterThan(0.3)
    expect(share(kinds.get('need'))).toBeLessThan(0.5)
    expect(share(kinds.get('hazard'))).toBeGreaterThan(0.12)
    expect(share(kinds.get('hazard'))).toBeLessThan(0.28)
    const disputes = c.cases.filter((x) => x.kind === 'dispute')
    const byCategory = countBy(disputes, (x) => x.category)
    const ranked = [...byCategory].sort((a, b) => b[1] - a[1]).map(([k]) => k)
    expect(ranked.slice(0, 2).sort()).toEqual(['neighbor', 'property'])
    expect((byCategory.get('property')! + byCategory.get('neighbor')!) / disputes.length).toBeGreaterThan(0.55)
    const urgency = countBy(c.cases, (x) => x.urgency)
    expect(share(urgency.get('red'))).toBeGreaterThan(0.04)
    expect(share(urgency.get('red'))).toBeLessThan(0.18)
    expect(share(urgency.get('yellow'))).toBeGreaterThan(0.28)
    expect(share(urgency.get('blue'))).toBeGreaterThan(0.38)
    for (const x of c.cases) expect(x.title).toMatch(/^[\u4e00-\u9fff]/)
    expect(new Set(c.cases.map((x) => x.title)).size).toBeGreaterThan(40)
    // Most cases are about households; hazards in a stairwell or yard have a place instead.
    expect(c.cases.filter((x) => x.householdIds.length > 0).length / c.cases.length).toBeGreaterThan(0.75)
    expect(c.cases.some((x) => x.kind === 'hazard' && x.householdIds.length === 0 && x.place !== '')).toBe(true)
    expect(c.cases.some((x) => x.householdIds.length === 2)).toBe(true)
    // About half were found during a visit.
    const found = c.cases.filter((x) => x.visitId !== null).length / c.cases.length
    expect(found).toBeGreaterThan(0.3)
    expect(found).toBeLessThan(0.7)
  })

  it('every team, case, step and comment parses with its schema', () => {
    expect(bad(Team, c.teams)).toEqual([])
    expect(bad(Case, c.cases)).toEqual([])
    expect(bad(CaseStep, c.caseSteps)).toEqual([])
    expect(bad(Comment, c.comments)).toEqual([])
  })

  it('has unique ids across all records', () => {
    const ids = [c.gridCells, c.buildings, c.households, c.residents, c.templates, c.visits, c.users, c.teams, c.cases, c.caseSteps, c.comments].flatMap((xs) =>
      xs.map((x) => x.id),
    )
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('replays every case history through the closed-loop rules to its state', () => {
    expect(caseProblems(c, NOW).slice(0, 10)).toEqual([])
    const actions = countBy(c.caseSteps, (s) => s.action)
    for (const a of ['return', 'resubmit', 'escalate', 'reject_verification']) expect(actions.get(a) ?? 0).toBeGreaterThan(0)
    // A team is handling every case that was assigned, and the grid worker handles small things.
    const grid = c.teams.find((t) => t.kind === 'grid')!
    expect(c.cases.some((x) => x.handlerTeamId === grid.id)).toBe(true)
    expect(c.caseSteps.some((s) => s.action === 'verify' && s.visitId !== null)).toBe(true)
  })

  it('puts case locations near a building of their grid cell', () => {
    const M_LNG = 111_320 * Math.cos((36.19 * Math.PI) / 180)
    for (const x of c.cases) {
      if (!x.location) continue
      const dist = Math.min(
        ...c.buildings
          .filter((b) => b.gridId === x.gridId)
          .map((b) => Math.hypot((b.location!.lat - x.location!.lat) * 111_320, (b.location!.lng - x.location!.lng) * M_LNG)),
      )
      expect(dist).toBeLessThan(60)
    }
    expect(c.cases.some((x) => x.location !== null)).toBe(true)
    expect(c.cases.some((x) => x.location === null)).toBe(true)
  })

  it('shows yellow and red cards on the board, but not on most open cases', () => {
    const cards = open().map((x) => caseCard(x, NOW, DEFAULT_CASE_DEADLINES).card)
    const late = cards.filter((k) => k !== 'none').length
    expect(late).toBeGreaterThanOrEqual(1)
    expect(cards).toContain('yellow')
    expect(cards).toContain('red')
    expect(late).toBeLessThan(open().length / 2)
    // Some of them are still waiting to be taken up past the response time.
    expect(open().some((x) => x.state === 'reported' && caseCard(x, NOW, DEFAULT_CASE_DEADLINES).card !== 'none')).toBe(true)
  })

  it('has the secretary comment on 1–2 % of the last three months of visits', () => {
    const from = new Date(NOW - 91 * 86_400_000).toISOString()
    const recent = c.visits.filter((v) => v.startedAt >= from)
    expect(c.comments.length).toBeGreaterThanOrEqual(recent.length * 0.008)
    expect(c.comments.length).toBeLessThanOrEqual(recent.length * 0.025)
    const visits = new Map(c.visits.map((v) => [v.id, v]))
    for (const m of c.comments) expect(visits.get(m.visitId)!.startedAt >= from).toBe(true)
    expect(new Set(c.comments.map((m) => m.text)).size).toBeGreaterThan(3)
  })

  it('keeps cases consistent at other sizes and options', () => {
    const now = Date.UTC(2030, 2, 10, 4)
    for (const [options, at] of [
      [{ households: 150 }, NOW],
      [{ households: 100, seed: 7 }, NOW],
      [{ households: 400, gridCells: 4, visitMonths: 3, now }, now],
    ] as const) {
      const s = generateCommunity(options)
      expect(s.teams).toHaveLength(7)
      expect(s.cases.length).toBeGreaterThan(0)
      expect(s.cases.some((x) => x.state !== 'closed')).toBe(true)
      expect(bad(Case, s.cases)).toEqual([])
      expect(bad(CaseStep, s.caseSteps)).toEqual([])
      expect(bad(Comment, s.comments)).toEqual([])
      expect(caseProblems(s, at)).toEqual([])
    }
  })
})

describe('generateCommunity: other sizes', () => {
  it('works for a small community and still has 13 grid cells with households', () => {
    const s = generateCommunity({ households: 150 })
    expect(s.gridCells).toHaveLength(13)
    expect(s.households.length).toBeGreaterThanOrEqual(143)
    expect(s.households.length).toBeLessThanOrEqual(158)
    const perCell = countBy(s.households, (h) => h.gridId)
    for (const g of s.gridCells) expect(perCell.get(g.id) ?? 0).toBeGreaterThan(0)
    expect(s.users.filter((u) => u.role === 'worker')).toHaveLength(13)
    expect(s.households.filter((h) => !Household.safeParse(h).success)).toEqual([])
    expect(s.visits.filter((v) => !Visit.safeParse(v).success)).toEqual([])
  })

  it('gives every grid cell a fair share of households at small sizes too', () => {
    for (const households of [100, 150, 400, 800]) {
      const s = generateCommunity({ households })
      const fair = s.households.length / s.gridCells.length
      const perCell = countBy(s.households, (h) => h.gridId)
      const residentsPerCell = countBy(s.residents, (r) => r.gridId)
      const visitsPerCell = countBy(s.visits, (v) => v.gridId)
      const problems: string[] = []
      for (const g of s.gridCells) {
        const n = perCell.get(g.id) ?? 0
        if (n < 0.6 * fair || n > 1.4 * fair) problems.push(`${households}: ${g.code} has ${n} households, fair share ${fair.toFixed(1)}`)
        if ((residentsPerCell.get(g.id) ?? 0) === 0) problems.push(`${households}: ${g.code} has no residents`)
        if ((visitsPerCell.get(g.id) ?? 0) === 0) problems.push(`${households}: ${g.code} has no visits`)
      }
      expect(problems).toEqual([])
      expect(Math.abs(s.households.length - households)).toBeLessThanOrEqual(households * 0.05)
    }
  })

  it('follows the gridCells, visitMonths and now options', () => {
    const now = Date.UTC(2030, 2, 10, 4)
    const s = generateCommunity({ households: 400, gridCells: 4, visitMonths: 3, now })
    expect(s.gridCells).toHaveLength(4)
    expect(s.users.map((u) => u.username)).toEqual(['grid01', 'grid02', 'grid03', 'grid04', 'secretary', 'admin'])
    expect(s.households.length).toBeGreaterThanOrEqual(380)
    expect(s.households.length).toBeLessThanOrEqual(420)
    const times = s.visits.map((v) => Date.parse(v.startedAt))
    expect(Math.max(...times)).toBeLessThanOrEqual(now)
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.UTC(2029, 11, 10, 4))
  })
})
