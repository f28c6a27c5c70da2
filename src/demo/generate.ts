// The demo community (domain.md, "The demo community"): a synthetic 社区 generated
// deterministically from a seed. The same generator, with a size parameter, feeds the
// server's first start, the tests and the benchmarks.
import type { Answers, Attention, Building, Campaign, CampaignTarget, Case, CaseStep, ChecklistTemplate, Comment, GeoPoint, GridCell, Household, LedgerEntry, Matter, MatterStep, Meeting, Need, Notice, Project, Resident, Resource, ServiceRecord, Tag, Team, User, Visit } from '../domain'
import { uuidv7 } from '../domain/ids'
import { maskIdNumber } from '../domain/mask'
import { pinyinKey } from '../domain/pinyinKey'
import { TAGS } from '../domain/tags'
import { assignAreas, makeCampaigns } from './campaigns'
import { makeCases, makeComments, type CaseHome } from './cases'
import { makeLists } from './lists'
import { makeMatters, type DemoPhoto } from './matters'
import { makeNotices } from './notices'
import { chineseNumber, fullName, pickSurname } from './names'
import { deriveSeed, Rng, weightedSample } from './random'
import { DEFAULT_TEMPLATES_ZH, type TemplateCode } from '../domain/defaultTemplates'
import { answersFor, type AnswerContext } from './templates'
import { BUNGALOW_STREETS, COMMUNITY_NAME, COMPOUNDS, NEEDS, NOTES, type CompoundStyle } from './texts'

export interface DemoOptions {
  seed?: number // default 20261121
  households?: number // default 3000 (about); tests use small numbers like 150; benchmarks 10000
  gridCells?: number // default 13
  visitMonths?: number // months of past visits, default 12
  now?: number // epoch ms "today"; default Date.UTC(2026, 10, 21, 8) — callers (the server) pass Date.now()
}
export type DemoResident = Resident & { idNumber: string | null } // full 18-digit ID, server-side only
export type DemoUser = User & { password: string }
export interface DemoCommunity {
  name: string // e.g. '幸福里社区'
  gridCells: GridCell[]
  buildings: Building[]
  households: Household[]
  residents: DemoResident[]
  templates: ChecklistTemplate[]
  visits: Visit[] // sorted by startedAt ascending
  users: DemoUser[]
  teams: Team[] // the community's handling teams (调解室, 律师会客厅, 物业公司 …)
  cases: Case[] // disputes, needs and hazards, sorted by reportedAt; a few dozen open at the default size
  caseSteps: CaseStep[] // every step of every case, sorted by time (so each case's steps are in order)
  comments: Comment[] // the secretary's 点评 on some recent visits, sorted by time
  campaigns: Campaign[] // a 燃气安全入户排查 under way and a closed 加装电梯 vote (campaigns.ts)
  campaignTargets: CampaignTarget[]
  // 三张清单 (lists.ts): needs heard on visits (some clusters stand out), resources of every kind
  // with a service menu, projects at every stage, volunteers' hours and points.
  needs: Need[]
  resources: Resource[]
  projects: Project[]
  serviceRecords: ServiceRecord[]
  // 议题 the 六民 way (matters.ts): the elevator of the vote's stairwell from 提 to 评, and matters
  // raised, under discussion, decided (公示 running), closed and dropped.
  matters: Matter[]
  matterSteps: MatterStep[] // sorted by time
  meetings: Meeting[]
  ledgerEntries: LedgerEntry[] // the office's alone, in the order recorded
  photos: DemoPhoto[] // the receipts and the finished work's photo the office uploaded
  notices: Notice[] // 公告 of every kind (notices.ts), five on the public page
}

export const DEMO_DEFAULTS = {
  seed: 20261121,
  households: 3000,
  gridCells: 13,
  visitMonths: 12,
  now: Date.UTC(2026, 10, 21, 8),
} as const

export const DEMO_PASSWORD = 'zoufang'

const DAY = 86_400_000
/** China Standard Time, UTC+8, no daylight saving. */
const CST = 8 * 3_600_000
const CENTER = { lat: 36.19, lng: 117.12 }
const M_PER_DEG_LAT = 111_320
const M_PER_DEG_LNG = 111_320 * Math.cos((CENTER.lat * Math.PI) / 180)

type Sex = 'M' | 'F'
type Relation = Resident['relation']
interface LatLng {
  lat: number
  lng: number
}

interface Cell {
  record: GridCell
  index: number
  /** NW, NE, SE, SW: a convex quadrilateral. */
  corners: readonly [LatLng, LatLng, LatLng, LatLng]
  compound: string
  style: CompoundStyle
  street: string | null
  workerId: string
}

interface Member {
  relation: Relation
  sex: Sex
  age: number
  surname: string
}

interface Person {
  record: DemoResident
  age: number
  tags: Set<Tag>
}

interface Home {
  cell: Cell
  building: Building
  style: CompoundStyle
  bungalow: boolean
  unit: string | null
  floor: number | null
  room: string | null
  address: string
  id: string
  housing: Household['housing']
  residency: Household['residency']
  phone: string | null
  people: Person[]
  /** The residents actually live here (not vacant, not 户在人不在). */
  livesHere: boolean
  record?: Household
}

export function generateCommunity(options: DemoOptions = {}): DemoCommunity {
  const seed = options.seed ?? DEMO_DEFAULTS.seed
  const targetHouseholds = Math.max(1, Math.round(options.households ?? DEMO_DEFAULTS.households))
  const nCells = Math.max(1, Math.round(options.gridCells ?? DEMO_DEFAULTS.gridCells))
  const visitMonths = Math.max(0, options.visitMonths ?? DEMO_DEFAULTS.visitMonths)
  const now = options.now ?? DEMO_DEFAULTS.now
  const scale = targetHouseholds / 3000

  const rng = {
    ids: new Rng(deriveSeed(seed, 'ids')),
    layout: new Rng(deriveSeed(seed, 'layout')),
    people: new Rng(deriveSeed(seed, 'people')),
    tags: new Rng(deriveSeed(seed, 'tags')),
    visits: new Rng(deriveSeed(seed, 'visits')),
    // Cases and comments have streams of their own (ids included), so the records above never change with them.
    cases: new Rng(deriveSeed(seed, 'cases')),
    caseIds: new Rng(deriveSeed(seed, 'case-ids')),
    comments: new Rng(deriveSeed(seed, 'comments')),
    // Areas and campaigns too, so that nothing above changes with them.
    areas: new Rng(deriveSeed(seed, 'areas')),
    campaigns: new Rng(deriveSeed(seed, 'campaigns')),
    campaignIds: new Rng(deriveSeed(seed, 'campaign-ids')),
    // And the three lists.
    lists: new Rng(deriveSeed(seed, 'lists')),
    listIds: new Rng(deriveSeed(seed, 'list-ids')),
    // And the matters.
    matters: new Rng(deriveSeed(seed, 'matters')),
    matterIds: new Rng(deriveSeed(seed, 'matter-ids')),
    noticeIds: new Rng(deriveSeed(seed, 'notice-ids')),
  }
  const idBytes = (n: number): Uint8Array => rng.ids.bytes(n)
  const visitStart = addMonths(now, -visitMonths)
  // Register records are "created" a month before the first visit, one millisecond apart.
  const registerEpoch = Math.floor((visitStart - 30 * DAY) / DAY) * DAY
  let clock = registerEpoch
  const nextId = (): string => uuidv7(clock++, idBytes)
  const year = new Date(now + CST).getUTCFullYear()

  // Templates
  const templates: ChecklistTemplate[] = DEFAULT_TEMPLATES_ZH.map((t) => ({ id: nextId(), ...t, items: t.items.map((i) => ({ ...i })) }))
  const templateByCode = new Map(templates.map((t) => [t.code as TemplateCode, t]))

  // Grid cells and users
  const cells = layoutCells(rng.layout, nCells, nextId)
  const users: DemoUser[] = []
  for (const cell of cells) {
    const sex: Sex = rng.people.chance(0.6) ? 'F' : 'M'
    const name = fullName(rng.people, pickSurname(rng.people), sex, year - rng.people.int(26, 48))
    users.push({
      id: cell.workerId,
      username: `grid${String(cell.index + 1).padStart(2, '0')}`,
      name,
      role: 'worker',
      gridIds: [cell.record.id],
      sensitiveTags: false,
      password: DEMO_PASSWORD,
    })
  }
  users.push({
    id: nextId(),
    username: 'secretary',
    name: fullName(rng.people, pickSurname(rng.people), 'F', year - 47),
    role: 'secretary',
    gridIds: [],
    sensitiveTags: true,
    password: DEMO_PASSWORD,
  })
  users.push({
    id: nextId(),
    username: 'admin',
    name: fullName(rng.people, pickSurname(rng.people), 'M', year - 35),
    role: 'admin',
    gridIds: [],
    sensitiveTags: true,
    password: DEMO_PASSWORD,
  })

  // Buildings
  const { buildings, homesPlan } = planBuildings(rng.layout, cells, targetHouseholds, nextId)

  // Households and residents
  const homes: Home[] = []
  const nameKeyCache = new Map<string, string>()
  const keyOf = (name: string): string => {
    let key = nameKeyCache.get(name)
    if (key === undefined) {
      key = pinyinKey([name])
      nameKeyCache.set(name, key)
    }
    return key
  }
  for (const plan of homesPlan) homes.push(makeHome(rng.people, plan, year, now, nextId))

  assignTags(rng.tags, homes, scale)

  const households: Household[] = []
  const residents: DemoResident[] = []
  for (const home of homes) {
    const tagSet = new Set<Tag>()
    for (const p of home.people) {
      p.record.tags = sortTags(p.tags)
      for (const t of p.tags) tagSet.add(t)
      residents.push(p.record)
    }
    if (home.housing === 'rented') tagSet.add('rental')
    const tags = sortTags(tagSet)
    const head = home.people.find((p) => p.record.relation === 'head') ?? home.people[0]
    const record: Household = {
      id: home.id,
      gridId: home.cell.record.id,
      buildingId: home.building.id,
      unit: home.unit,
      floor: home.floor,
      room: home.room,
      address: home.address,
      housing: home.housing,
      residency: home.residency,
      phone: home.phone,
      tags,
      attention: attentionOf(tags),
      headName: head?.record.name ?? '',
      searchKey: home.people.map((p) => keyOf(p.record.name)).join(' '),
      notes: '',
    }
    home.record = record
    households.push(record)
  }

  const visits = makeVisits(rng.visits, homes, templateByCode, visitStart, now, idBytes)

  // Cases: about one per 17 households a year; a few dozen open at the default size.
  const caseIdBytes = (n: number): Uint8Array => rng.caseIds.bytes(n)
  const secretaryUser = users.find((u) => u.role === 'secretary')!
  const secretary = { id: secretaryUser.id, name: secretaryUser.name }
  const workers = new Map(cells.map((cell) => [cell.record.id, { id: cell.workerId, name: users.find((u) => u.id === cell.workerId)!.name }]))
  const caseMonths = visitMonths > 0 ? visitMonths : 12
  const perYear = households.length / 17
  const caseHomes: CaseHome[] = homes.map((h) => ({
    household: h.record!,
    building: h.building,
    style: h.style,
    bungalow: h.bungalow,
    livesHere: h.livesHere,
    people: h.people.map((p) => ({ id: p.record.id, age: p.age, relation: p.record.relation, tags: p.tags })),
  }))
  const { teams, cases, caseSteps } = makeCases({
    rng: rng.cases,
    idBytes: caseIdBytes,
    homes: caseHomes,
    visits,
    workers,
    secretary,
    now,
    since: addMonths(now, -caseMonths),
    teamsAt: registerEpoch - DAY,
    openCount: Math.max(1, Math.round(perYear * 0.22)),
    closedCount: Math.round(((perYear * 0.78) * caseMonths) / 12),
  })
  const comments = makeComments(rng.comments, caseIdBytes, visits, secretary, now)

  assignAreas(rng.areas, households)
  const campaignPart = makeCampaigns({
    rng: rng.campaigns,
    idBytes: (n) => rng.campaignIds.bytes(n),
    now,
    gridCells: cells.map((c) => c.record),
    buildings,
    households,
    residents,
    workerOf: new Map(cells.map((cell) => [cell.record.id, cell.workerId])),
    secretaryId: secretary.id,
    visitsFrom: visitStart,
  })
  templates.push(...campaignPart.templates)
  const allVisits = [...visits, ...campaignPart.visits].sort(
    (a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
  const lists = makeLists({
    rng: rng.lists,
    idBytes: (n) => rng.listIds.bytes(n),
    now,
    gridCells: cells.map((c) => c.record),
    styles: new Map(cells.map((c) => [c.record.id, c.style])),
    buildings,
    households,
    residents,
    visits: allVisits,
    teams,
    campaigns: campaignPart.campaigns,
    secretaryId: secretary.id,
    year,
  })
  const matterPart = makeMatters({
    rng: rng.matters,
    idBytes: (n) => rng.matterIds.bytes(n),
    now,
    gridCells: cells.map((c) => c.record),
    buildings,
    households,
    needs: lists.needs,
    cases,
    campaigns: campaignPart.campaigns,
    resources: lists.resources,
    secretary,
  })

  return {
    name: COMMUNITY_NAME,
    gridCells: cells.map((c) => c.record),
    buildings,
    households,
    residents,
    templates,
    visits: allVisits,
    users,
    teams,
    cases,
    caseSteps,
    comments,
    campaigns: campaignPart.campaigns,
    campaignTargets: campaignPart.campaignTargets,
    ...lists,
    ...matterPart,
    notices: makeNotices({ idBytes: (n) => rng.noticeIds.bytes(n), now, buildings, secretaryId: secretary.id }),
  }
}

// ---------------------------------------------------------------------------------------------
// Geography

function addMonths(ms: number, months: number): number {
  const d = new Date(ms)
  const whole = Math.trunc(months)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + whole
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  const t = Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds())
  return t + Math.round((months - whole) * 30 * DAY)
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6

/** Cells side by side in rows, sharing edges; each 150–250 m across with corners nudged a little. */
function layoutCells(rng: Rng, n: number, nextId: () => string): Cell[] {
  const cols = Math.max(1, Math.round(Math.sqrt(n * 1.6)))
  const rows = Math.ceil(n / cols)
  const widths = Array.from({ length: cols }, () => rng.float(165, 235))
  const heights = Array.from({ length: rows }, () => rng.float(155, 225))
  const totalW = widths.reduce((a, b) => a + b, 0)
  const totalH = heights.reduce((a, b) => a + b, 0)
  const west = CENTER.lng - totalW / 2 / M_PER_DEG_LNG
  const north = CENTER.lat + totalH / 2 / M_PER_DEG_LAT
  const vertex: LatLng[][] = []
  let y = 0
  for (let r = 0; r <= rows; r++) {
    const row: LatLng[] = []
    let x = 0
    for (let c = 0; c <= cols; c++) {
      const jx = rng.float(-12, 12)
      const jy = rng.float(-12, 12)
      row.push({ lat: round6(north - (y + jy) / M_PER_DEG_LAT), lng: round6(west + (x + jx) / M_PER_DEG_LNG) })
      x += widths[c] ?? 0
    }
    vertex.push(row)
    y += heights[r] ?? 0
  }
  const cells: Cell[] = []
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / cols)
    const c = k % cols
    const nw = vertex[r]![c]!
    const ne = vertex[r]![c + 1]!
    const se = vertex[r + 1]![c + 1]!
    const sw = vertex[r + 1]![c]!
    const ring = [nw, ne, se, sw, nw].map((p): [number, number] => [p.lng, p.lat])
    const [compound, style] = COMPOUNDS[k % COMPOUNDS.length]!
    const lap = Math.floor(k / COMPOUNDS.length)
    cells.push({
      record: {
        id: nextId(),
        code: String(k + 1).padStart(3, '0'),
        name: `第${chineseNumber(k + 1)}网格`,
        polygon: { type: 'Polygon', coordinates: [ring] },
      },
      index: k,
      corners: [nw, ne, se, sw],
      compound: lap === 0 ? compound : `${compound.replace(/(小区)$/, '')}${chineseNumber(lap + 1)}区`,
      style,
      street: null,
      workerId: nextId(),
    })
  }
  return cells
}

/** Bilinear point in the cell's quadrilateral; (u, v) in [0, 1]², u west→east, v north→south. */
function pointIn(cell: Cell, u: number, v: number): LatLng {
  const [nw, ne, se, sw] = cell.corners
  const top = { lat: nw.lat + (ne.lat - nw.lat) * u, lng: nw.lng + (ne.lng - nw.lng) * u }
  const bottom = { lat: sw.lat + (se.lat - sw.lat) * u, lng: sw.lng + (se.lng - sw.lng) * u }
  return { lat: round6(top.lat + (bottom.lat - top.lat) * v), lng: round6(top.lng + (bottom.lng - top.lng) * v) }
}

// ---------------------------------------------------------------------------------------------
// Buildings

interface HomePlan {
  cell: Cell
  building: Building
  style: CompoundStyle
  bungalow: boolean
  unit: string | null
  floor: number | null
  room: string | null
  address: string
}

interface Dims {
  floors: number
  units: number
  doors: number
}

function planBuildings(
  rng: Rng,
  cells: Cell[],
  target: number,
  nextId: () => string,
): { buildings: Building[]; homesPlan: HomePlan[] } {
  const nCells = cells.length
  const all = cells.map((_, i) => i)

  // 平房 along a few old streets.
  const bungPerCell = new Array<number>(nCells).fill(0)
  let remaining = Math.round(target * 0.03)
  const streetCells = rng.shuffle(all.slice()).slice(0, Math.min(3, nCells))
  const streetWeights = streetCells.map(() => rng.float(0.6, 1.4))
  while (remaining > 0) {
    const k = rng.weighted(streetCells.map((c, j) => [c, streetWeights[j]!] as const))
    bungPerCell[k]! += 1
    remaining--
  }

  // Each cell carries a similar load (a worker looks after 150–300 households at the default
  // size, a fair share of the total at any size); old compounds have more, smaller buildings (6–7
  // floors, no lift), new ones fewer, taller. A cell too small for a 6-floor building gets one low
  // walk-up, and one with only a handful of households only 平房. Whatever a cell's rooms miss
  // its target by is carried to the next cell, so the total stays close to the target.
  const specs: { cell: Cell; dims: Dims; style: CompoundStyle }[] = []
  const addSpecs = (cell: Cell, n: number): { cell: Cell; dims: Dims; style: CompoundStyle }[] => {
    const mine: { cell: Cell; dims: Dims; style: CompoundStyle }[] = []
    for (let b = 0; b < n; b++) {
      const dims: Dims =
        cell.style !== 'new'
          ? { floors: rng.chance(0.75) ? 6 : 7, units: rng.weighted([[2, 1], [3, 5], [4, 3]] as const), doors: 2 }
          : { floors: rng.int(11, 18), units: rng.weighted([[2, 4], [3, 4], [4, 1]] as const), doors: rng.chance(0.7) ? 2 : 3 }
      mine.push({ cell, dims, style: cell.style })
    }
    specs.push(...mine)
    return mine
  }
  const spread = target / nCells >= 100 ? 0.2 : 0.1
  const weights = cells.map(() => rng.float(1 - spread, 1 + spread))
  const totalW = weights.reduce((a, b) => a + b, 0)
  let carry = 0
  for (const cell of cells) {
    const cellTarget = Math.max(1, Math.round((target * weights[cell.index]!) / totalW) + carry)
    let bungalows = Math.min(bungPerCell[cell.index]!, cellTarget)
    let residential = cellTarget - bungalows
    if (residential < MIN_BUILDING) {
      bungalows += residential
      residential = 0
    }
    bungPerCell[cell.index] = bungalows
    let rooms = 0
    if (residential >= MIN_TALL) {
      const n = Math.max(1, Math.round(residential / (cell.style === 'new' ? 100 : 46)))
      rooms = fitRooms(rng, addSpecs(cell, n), residential)
    } else if (residential > 0) {
      const dims = lowRise(rng, residential)
      specs.push({ cell, dims, style: cell.style })
      rooms = roomsOf(dims)
    }
    carry = cellTarget - bungalows - rooms
  }
  let streetNo = 0
  for (const cell of cells) if (bungPerCell[cell.index]! > 0) cell.street = BUNGALOW_STREETS[streetNo++ % BUNGALOW_STREETS.length]!

  const buildings: Building[] = []
  const homesPlan: HomePlan[] = []
  for (const cell of cells) {
    const mine = specs.filter((s) => s.cell === cell)
    const nB = mine.length
    const hasBungalows = bungPerCell[cell.index]! > 0
    const vMax = hasBungalows ? 0.68 : 0.88
    const gridCols = Math.max(1, Math.ceil(Math.sqrt(nB * 1.3)))
    const gridRows = Math.max(1, Math.ceil(nB / gridCols))
    let number = 0
    mine.forEach((spec, i) => {
      number += 1
      // New compounds skip the unlucky 4 in building numbers now and then.
      if (spec.style === 'new' && number % 10 === 4 && rng.chance(0.5)) number += 1
      const c = i % gridCols
      const r = Math.floor(i / gridCols)
      const u = 0.12 + (0.76 * (c + 0.5 + rng.float(-0.2, 0.2))) / gridCols
      const v = 0.12 + ((vMax - 0.12) * (r + 0.5 + rng.float(-0.2, 0.2))) / gridRows
      const building: Building = {
        id: nextId(),
        gridId: cell.record.id,
        compound: cell.compound,
        number: `${number}号楼`,
        kind: 'residential',
        units: spec.dims.units,
        floors: spec.dims.floors,
        location: geo(pointIn(cell, u, v)),
      }
      buildings.push(building)
      for (let unit = 1; unit <= spec.dims.units; unit++) {
        for (let floor = 1; floor <= spec.dims.floors; floor++) {
          for (let door = 1; door <= spec.dims.doors; door++) {
            const room = `${floor}${String(door).padStart(2, '0')}`
            homesPlan.push({
              cell,
              building,
              style: spec.style,
              bungalow: false,
              unit: String(unit),
              floor,
              room,
              address: `${cell.compound}${building.number}${unit}单元${room}室`,
            })
          }
        }
      }
    })
    const nBung = bungPerCell[cell.index]!
    let house = 0
    for (let j = 0; j < nBung; j++) {
      house += rng.chance(0.85) ? 1 : 2
      const u = hasBungalows && nB > 0 ? rng.float(0.12, 0.88) : rng.float(0.15, 0.85)
      const v = nB > 0 ? rng.float(0.76, 0.88) : rng.float(0.15, 0.85)
      const compound = `${cell.street ?? BUNGALOW_STREETS[0]!}平房`
      const building: Building = {
        id: nextId(),
        gridId: cell.record.id,
        compound,
        number: `${house}号`,
        kind: 'bungalow',
        units: 0,
        floors: 1,
        location: geo(pointIn(cell, u, v)),
      }
      buildings.push(building)
      homesPlan.push({
        cell,
        building,
        style: 'old',
        bungalow: true,
        unit: null,
        floor: rng.chance(0.5) ? 1 : null,
        room: null,
        address: `${compound}${building.number}`,
      })
    }
  }
  return { buildings, homesPlan }
}

function geo(p: LatLng): GeoPoint {
  return { lat: p.lat, lng: p.lng, accuracy: null, source: 'register' }
}

const roomsOf = (d: Dims): number => d.floors * d.units * d.doors
/** The fewest rooms of a 6-floor building (2 units, 2 doors a landing). */
const MIN_TALL = 24
/** Fewer households than this in a cell live in 平房 rather than in a building. */
const MIN_BUILDING = 4

/** A low walk-up (2–7 floors, 1–3 units, 1–3 doors a landing) with `target` rooms, or as close as it gets. */
function lowRise(rng: Rng, target: number): Dims {
  let best: Dims[] = []
  let bestScore = Infinity
  for (let floors = 2; floors <= 7; floors++) {
    for (let units = 1; units <= 3; units++) {
      for (let doors = 1; doors <= 3; doors++) {
        const dims = { floors, units, doors }
        // Exact fit first, then the usual shape: 2 doors a landing, 1–2 units, 3+ floors.
        const score = Math.abs(roomsOf(dims) - target) * 4 + (doors === 2 ? 0 : 1) + (units === 3 ? 1 : 0) + (floors < 3 ? 1 : 0)
        if (score < bestScore) {
          best = [dims]
          bestScore = score
        } else if (score === bestScore) best.push(dims)
      }
    }
  }
  return { ...rng.pick(best) }
}

/** Nudges floors/units/doors until the rooms add up to about `target`; returns the rooms. */
function fitRooms(rng: Rng, specs: { dims: Dims; style: CompoundStyle }[], target: number): number {
  if (specs.length === 0) return 0
  const rooms = roomsOf
  let total = specs.reduce((a, s) => a + rooms(s.dims), 0)
  const tolerance = Math.max(2, Math.round(target * 0.01))
  const ranges = (style: CompoundStyle, wide: boolean): Record<keyof Dims, [number, number]> =>
    wide
      ? { floors: [6, 18], units: [2, 4], doors: [2, 3] }
      : style === 'new'
        ? { floors: [9, 18], units: [2, 4], doors: [2, 3] }
        : { floors: [6, 7], units: [2, 4], doors: [2, 2] }
  for (const wide of [false, true]) {
    for (let step = 0; step < 20_000 && Math.abs(total - target) > tolerance; step++) {
      const spec = rng.pick(specs)
      const key = rng.weighted([['floors', 5], ['units', 2], ['doors', 1]] as const)
      const [lo, hi] = ranges(spec.style, wide)[key]
      const delta = total > target ? -1 : 1
      const next = spec.dims[key] + delta
      if (next < lo || next > hi) continue
      const before = rooms(spec.dims)
      const after = rooms({ ...spec.dims, [key]: next })
      // Do not overshoot by more than the step is worth.
      if (Math.abs(total - before + after - target) > Math.abs(total - target) + tolerance) continue
      spec.dims[key] = next
      total += after - before
    }
  }
  return total
}

// ---------------------------------------------------------------------------------------------
// People

const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '170', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189',
  '191', '198', '199']
const LOCAL_AREA = '370902' // 泰安市泰山区
const MIGRANT_AREAS = ['370921', '370982', '370983', '370911', '371302', '371321', '370883', '370881', '411302', '341321', '130102', '320321']
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

function mobile(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0')
}

/** An 18-character ID number with a valid GB 11643 check digit. */
function idNumber(rng: Rng, area: string, birthYear: number, sex: Sex, now: number): string {
  const jan1 = Date.UTC(birthYear, 0, 1)
  const days = Math.max(0, Math.min(364, Math.floor((now + CST - jan1) / DAY) - 1))
  const birth = new Date(jan1 + rng.int(0, days) * DAY)
  const date = `${birthYear}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`
  let seq = rng.int(0, 99) * 10 + rng.int(0, 4) * 2 + (sex === 'M' ? 1 : 0)
  if (seq === 0) seq = 2
  const body = area + date + String(seq).padStart(3, '0')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i]!
  return body + ID_CHECK[sum % 11]!
}

function elderlyAge(rng: Rng, min: number): number {
  const band = rng.weighted([[60, 4], [70, 3.6], [80, 2.4], [90, 0.45]] as const)
  return Math.max(min, band + rng.int(0, band === 90 ? 8 : 9))
}

const opposite = (s: Sex): Sex => (s === 'M' ? 'F' : 'M')
const clampAge = (a: number): number => Math.max(0, Math.min(100, a))

/** Who lives in a household: relations, sexes, ages and surnames that fit together. */
function family(rng: Rng, size: number, style: CompoundStyle, tenant: boolean): Member[] {
  const S = pickSurname(rng)
  const other = (): string => pickSurname(rng)
  const eb = style === 'factory' ? 1.8 : style === 'old' ? 1.3 : 1
  const out: Member[] = []
  const head = (sex: Sex, age: number): void => {
    out.push({ relation: 'head', sex, age: clampAge(age), surname: sex === 'M' ? S : other() })
  }
  let motherSurname = S
  const couple = (age: number): void => {
    const headMale = rng.chance(0.78)
    const gap = rng.int(0, 4)
    motherSurname = other()
    out.push({ relation: 'head', sex: headMale ? 'M' : 'F', age: clampAge(age), surname: headMale ? S : motherSurname })
    out.push({ relation: 'spouse', sex: headMale ? 'F' : 'M', age: clampAge(headMale ? age - gap : age + gap), surname: headMale ? motherSurname : S })
  }
  // Children mostly take the father's surname, now and then the mother's.
  const child = (age: number): void => {
    out.push({ relation: 'child', sex: rng.chance(0.5) ? 'M' : 'F', age: clampAge(age), surname: rng.chance(0.95) ? S : motherSurname })
  }
  const headSurname = (): string => out[0]!.surname
  const parent = (headAge: number, sex?: Sex): void => {
    const s = sex ?? (rng.chance(0.65) ? 'F' : 'M')
    out.push({ relation: 'parent', sex: s, age: clampAge(Math.min(98, headAge + rng.int(23, 32))), surname: s === 'M' ? headSurname() : other() })
  }
  const childAge = (headAge: number): number => rng.int(Math.max(0, headAge - 40), headAge - 23)

  if (tenant) {
    const a = rng.int(21, 45)
    if (size === 1) head(rng.chance(0.58) ? 'M' : 'F', a)
    else if (size === 2 && rng.chance(0.2)) {
      head(rng.chance(0.7) ? 'F' : 'M', Math.max(a, 30))
      child(Math.min(17, childAge(Math.max(a, 30))))
    } else {
      couple(Math.max(a, size > 2 ? 24 : 21))
      for (let k = 2; k < size; k++) child(Math.min(17, childAge(Math.max(a, 24))))
    }
    return out
  }

  switch (size) {
    case 1: {
      if (rng.chance((0.45 * eb) / (0.45 * eb + 0.55))) head(rng.chance(0.65) ? 'F' : 'M', elderlyAge(rng, 62))
      else head(rng.chance(0.55) ? 'M' : 'F', rng.int(22, 60))
      break
    }
    case 2: {
      const kind = rng.weighted([['elderly', 45 * eb], ['couple', 35], ['single_parent', 10], ['with_parent', 10]] as const)
      if (kind === 'elderly') couple(elderlyAge(rng, 60))
      else if (kind === 'couple') couple(rng.int(24, 59))
      else if (kind === 'single_parent') {
        const a = rng.int(32, 55)
        head(rng.chance(0.7) ? 'F' : 'M', a)
        child(childAge(a))
      } else {
        const a = rng.int(30, 60)
        head(rng.chance(0.6) ? 'M' : 'F', a)
        parent(a)
      }
      break
    }
    case 3: {
      const kind = rng.weighted([['nuclear', 70], ['with_parent', 10], ['elderly_child', 15 * eb], ['left_behind', 5]] as const)
      if (kind === 'nuclear') {
        const a = rng.int(26, 55)
        couple(a)
        child(childAge(a))
      } else if (kind === 'with_parent') {
        const a = rng.int(28, 55)
        couple(a)
        parent(a)
      } else if (kind === 'elderly_child') {
        const a = rng.int(55, 80)
        couple(a)
        child(a - rng.int(24, 32))
      } else {
        couple(rng.int(52, 72))
        out.push({ relation: 'grandchild', sex: rng.chance(0.5) ? 'M' : 'F', age: rng.int(3, 15), surname: S })
      }
      break
    }
    case 4: {
      const kind = rng.weighted([['two_children', 45], ['with_parent', 35], ['three_generations', 20 * eb]] as const)
      if (kind === 'two_children') {
        const a = rng.int(30, 52)
        couple(a)
        child(childAge(a))
        child(childAge(a))
      } else if (kind === 'with_parent') {
        const a = rng.int(30, 55)
        couple(a)
        child(childAge(a))
        parent(a)
      } else {
        const a = rng.int(55, 80)
        couple(a)
        const c = a - rng.int(24, 30)
        child(c)
        out.push({ relation: 'grandchild', sex: rng.chance(0.5) ? 'M' : 'F', age: clampAge(c - rng.int(23, 32)), surname: S })
      }
      break
    }
    default: {
      if (rng.chance(0.55)) {
        const a = rng.int(30, 50)
        couple(a)
        child(childAge(a))
        parent(a, 'M')
        out.push({ relation: 'parent', sex: 'F', age: clampAge(Math.min(98, a + rng.int(23, 30))), surname: other() })
      } else {
        const a = rng.int(56, 80)
        couple(a)
        const c = a - rng.int(24, 30)
        const cs: Sex = rng.chance(0.6) ? 'M' : 'F'
        out.push({ relation: 'child', sex: cs, age: clampAge(c), surname: S })
        out.push({ relation: 'other', sex: opposite(cs), age: clampAge(c + rng.int(-3, 3)), surname: other() })
        out.push({ relation: 'grandchild', sex: rng.chance(0.5) ? 'M' : 'F', age: clampAge(c - rng.int(23, 30)), surname: S })
      }
      for (let k = 5; k < size; k++) child(rng.int(0, 10))
    }
  }
  return out
}

function makeHome(rng: Rng, plan: HomePlan, year: number, now: number, nextId: () => string): Home {
  const housingWeights: readonly (readonly [Household['housing'], number])[] = plan.bungalow
    ? [['owner', 85], ['rented', 10], ['vacant', 5]]
    : plan.style === 'factory'
      ? [['owner', 80], ['rented', 12], ['vacant', 8]]
      : [['owner', 68], ['rented', 21], ['vacant', 11]]
  const housing = rng.weighted(housingWeights)
  const id = nextId()
  let residency: Household['residency'] = 'consistent'
  let members: Member[] = []
  let migrant = false
  if (housing === 'vacant') {
    if (rng.chance(0.45)) {
      residency = 'registered_absent'
      members = family(rng, rng.chance(0.4) ? 1 : 2, plan.style, false)
    }
  } else if (housing === 'rented') {
    migrant = rng.chance(0.6)
    if (migrant) residency = 'present_unregistered'
    members = family(rng, rng.weighted([[1, 25], [2, 33], [3, 30], [4, 12]] as const), plan.style, true)
  } else {
    residency = rng.weighted([['consistent', 92], ['present_unregistered', 3], ['registered_absent', 5]] as const)
    const sizes: readonly (readonly [number, number])[] =
      plan.style === 'factory'
        ? [[1, 18], [2, 33], [3, 26], [4, 13], [5, 9], [6, 1]]
        : [[1, 11], [2, 26], [3, 29], [4, 18], [5, 14], [6, 2]]
    members = family(rng, rng.weighted(sizes), plan.style, false)
  }
  const livesHere = members.length > 0 && residency !== 'registered_absent'

  const used = new Set<string>()
  const people: Person[] = members.map((m) => {
    const birthYear = year - m.age
    const name = fullName(rng, m.surname, m.sex, birthYear, used)
    used.add(name)
    const phoneChance = m.age < 16 ? 0 : m.age < 18 ? 0.5 : m.age < 70 ? 0.93 : m.age < 85 ? 0.65 : 0.3
    const id18 = rng.chance(0.02) ? null : idNumber(rng, migrant ? rng.pick(MIGRANT_AREAS) : LOCAL_AREA, birthYear, m.sex, now)
    const political: Resident['political'] =
      m.age >= 18 && rng.chance(m.age >= 60 ? 0.11 : 0.06) ? 'party' : m.age >= 14 && m.age <= 28 && rng.chance(0.35) ? 'league' : 'masses'
    const tags = new Set<Tag>()
    if (migrant) tags.add('migrant')
    if (m.age >= 80) tags.add('aged_80')
    const record: DemoResident = {
      id: nextId(),
      householdId: id,
      gridId: plan.cell.record.id,
      name,
      sex: m.sex,
      birthYear,
      relation: m.relation,
      phone: rng.chance(phoneChance) ? mobile(rng) : null,
      idMasked: id18 === null ? null : maskIdNumber(id18),
      political,
      tags: [],
      status: 'present',
      statusDate: null,
      movedTo: null,
      idNumber: id18,
    }
    return { record, age: m.age, tags }
  })

  // Living situation tags: 60+ living alone (独居) or only with an elderly spouse (空巢).
  if (livesHere && people.every((p) => p.age >= 60)) {
    if (people.length === 1) people[0]!.tags.add('elderly_alone')
    else if (people.length === 2) for (const p of people) p.tags.add('empty_nest')
  }
  for (const p of people) {
    if (p.record.relation === 'grandchild' && p.age < 16 && people.length === 3 && !people.some((q) => q.record.relation === 'child'))
      p.tags.add('left_behind_child')
    if (plan.style === 'factory' ? p.age >= 45 && p.age <= 64 && rng.chance(0.42) : p.age >= 30 && p.age <= 59 && rng.chance(0.02))
      p.tags.add('unemployed')
    if (p.age >= 75 && rng.chance(p.age >= 85 ? 0.14 : 0.05)) p.tags.add('dementia_disabled')
  }

  const head = people[0]
  const phone = head?.record.phone ?? people.find((p) => p.record.phone)?.record.phone ?? (members.length === 0 && rng.chance(0.5) ? mobile(rng) : null)

  return {
    cell: plan.cell,
    building: plan.building,
    style: plan.style,
    bungalow: plan.bungalow,
    unit: plan.unit,
    floor: plan.floor,
    room: plan.room,
    address: plan.address,
    id,
    housing,
    residency,
    phone,
    people,
    livesHere,
  }
}

/** Tags given to a set number of households (about 80 disabled, 30 seriously ill … at 3,000). */
function assignTags(rng: Rng, homes: Home[], scale: number): void {
  const living = homes.filter((h) => h.livesHere)
  const count = (n: number, min = 0): number => Math.max(min, Math.round(n * scale))
  const has = (h: Home, t: Tag): boolean => h.people.some((p) => p.tags.has(t))
  const pickPerson = (h: Home, weight: (p: Person) => number): Person | undefined => weightedSample(rng, h.people, weight, 1)[0]

  // 低保: a few percent of households, more in the old factory compound.
  for (const h of weightedSample(rng, living, (h) => (h.style === 'factory' ? 3 : 1) * (has(h, 'unemployed') ? 2 : 1) * (has(h, 'elderly_alone') ? 1.5 : 1), count(90)))
    for (const p of h.people) p.tags.add('dibao')
  // 特困: elderly living alone with no one to support them.
  for (const h of weightedSample(rng, living, (h) => (has(h, 'elderly_alone') && !has(h, 'dibao') ? 1 : 0), count(10)))
    h.people[0]!.tags.add('tekun')
  // 残疾: about 80 households.
  for (const h of weightedSample(rng, living, (h) => (h.people.some((p) => p.age >= 55) ? 2 : 1), count(80, 1))) {
    pickPerson(h, (p) => 1 + p.age / 30)?.tags.add('disabled')
  }
  // 大病: about 30 households.
  for (const h of weightedSample(rng, living, (h) => (h.people.some((p) => p.age >= 45) ? 2 : 1), count(30, 1))) {
    pickPerson(h, (p) => (p.age >= 30 ? 1 + p.age / 25 : 0.3))?.tags.add('serious_illness')
  }
  // 困境儿童: a handful, mostly in poor or single-parent households.
  const withChild = living.filter((h) => h.people.some((p) => p.age < 16))
  for (const h of weightedSample(rng, withChild, (h) => (has(h, 'dibao') ? 6 : 1) * (h.people.length === 2 ? 3 : 1), count(6, 1))) {
    pickPerson(h, (p) => (p.age < 16 ? 1 : 0))?.tags.add('child_in_need')
  }
  // 优抚对象: veterans' families.
  for (const h of weightedSample(rng, living, (h) => (h.people.some((p) => p.age >= 65) ? 1 : 0), count(45))) {
    pickPerson(h, (p) => (p.age >= 65 ? 1 : 0))?.tags.add('veteran_family')
  }
  // The sensitive 政法 group: a handful each in the whole community.
  const adults = living.flatMap((h) => h.people).filter((p) => p.age >= 20 && p.age <= 62)
  const sensitive: [Tag, number, number][] = [
    ['correction', 5, 4],
    ['released', 6, 5],
    ['mental_illness', 8, 1],
    ['drug', 4, 4],
  ]
  for (const [tag, n, maleWeight] of sensitive) {
    for (const p of weightedSample(rng, adults, (p) => (p.record.sex === 'M' ? maleWeight : 1), count(n, 1))) p.tags.add(tag)
  }
}

const TAG_ORDER = new Map(TAGS.map((t, i) => [t, i]))
function sortTags(tags: Iterable<Tag>): Tag[] {
  return [...tags].sort((a, b) => TAG_ORDER.get(a)! - TAG_ORDER.get(b)!)
}

const KEY_TAGS: readonly Tag[] = ['dibao', 'tekun', 'disabled', 'dementia_disabled', 'correction', 'migrant']

/** 关注程度 from the household's tags (domain.md, "Visit frequency"). */
export function attentionOf(tags: readonly Tag[]): Attention {
  const has = (t: Tag): boolean => tags.includes(t)
  if ((has('aged_80') && (has('elderly_alone') || has('empty_nest'))) || has('serious_illness') || has('child_in_need')) return 'high'
  if (KEY_TAGS.some(has)) return 'key'
  return 'normal'
}

// ---------------------------------------------------------------------------------------------
// Visits

const ELDERLY_TAGS: readonly Tag[] = ['aged_80', 'elderly_alone', 'empty_nest', 'dementia_disabled', 'disabled', 'serious_illness', 'child_in_need']
const FRAIL_TAGS: readonly Tag[] = ['disabled', 'serious_illness', 'dementia_disabled']

type Outcome = Visit['outcome']

/** China-local day number (days since 1970-01-01 in UTC+8). */
const dayOf = (ms: number): number => Math.floor((ms + CST) / DAY)
/** 0 = Sunday … 6 = Saturday. */
const weekday = (day: number): number => (day + 4) % 7

function isoDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10)
}

/** A working-hours moment (08:00–18:00 China time) on a China-local day. */
function daytime(rng: Rng, day: number): number {
  const minutes = rng.chance(0.55) ? rng.int(8 * 60 + 20, 11 * 60 + 40) : rng.int(14 * 60, 17 * 60 + 50)
  return day * DAY - CST + minutes * 60_000 + rng.int(0, 59) * 1000
}

/** Workers mostly rest on Sunday and often on Saturday. */
function workday(rng: Rng, day: number): number {
  const wd = weekday(day)
  if (wd === 0 && rng.chance(0.85)) return day + 1
  if (wd === 6 && rng.chance(0.6)) return day + 2
  return day
}

function makeVisits(
  rng: Rng,
  homes: Home[],
  templates: Map<TemplateCode, ChecklistTemplate>,
  start: number,
  now: number,
  idBytes: (n: number) => Uint8Array,
): Visit[] {
  const out: { ms: number; visit: Visit }[] = []

  const emit = (home: Home, ms: number, outcome: Outcome, code: TemplateCode | null): void => {
    out.push({ ms, visit: makeVisit(rng, home, ms, outcome, code, templates, idBytes) })
  }

  // Regular visits, by attention level.
  for (const home of homes) {
    const record = home.record!
    const tagged = record.tags.length > 0
    const empty = home.people.length === 0
    const absent = !home.livesHere && !empty
    const interval = empty || absent ? 182 : record.attention === 'high' ? 7 : record.attention === 'key' ? 30 : tagged ? 91 : 182
    const care = home.livesHere && record.tags.some((t) => ELDERLY_TAGS.includes(t))
    let due = start + rng.float(0, interval) * DAY
    for (let guard = 0; guard < 2000; guard++) {
      const day = workday(rng, dayOf(due))
      const ms = daytime(rng, day)
      if (ms >= now) break
      if (ms < start) {
        due = start + DAY
        continue
      }
      let outcome: Outcome
      if (empty) outcome = rng.chance(0.8) ? 'not_home' : 'met'
      else if (absent) outcome = rng.weighted([['not_home', 50], ['phone', 40], ['met', 10]] as const)
      else outcome = rng.weighted([['met', 80], ['not_home', 12], ['phone', 6], ['refused', 2]] as const)
      if (outcome === 'phone' && !home.phone) outcome = 'not_home'
      let code: TemplateCode | null = null
      if ((outcome === 'met' || outcome === 'phone') && !empty) {
        code = care
          ? rng.weighted([['care', 85], ['routine', 15]] as const)
          : rng.weighted([['routine', 92], ['safety', 4], ['outreach', 4]] as const)
        if (outcome === 'phone' && code === 'safety') code = 'routine'
      }
      emit(home, ms, outcome, code)
      // A "not at home" attempt does not reset the due date: come back in a few days.
      due = outcome === 'not_home' && home.livesHere ? ms + rng.int(1, 4) * DAY : ms + interval * rng.float(0.62, 1.02) * DAY
    }
  }

  // Campaigns: everybody gets a safety check before the heating season and around the Spring
  // Festival, and a round of policy outreach when 医保 contributions are collected.
  const campaigns: { code: TemplateCode; from: [number, number]; to: [number, number]; coverage: number }[] = [
    { code: 'safety', from: [0, 5], to: [0, 25], coverage: 0.6 },
    { code: 'outreach', from: [8, 1], to: [8, 28], coverage: 0.7 },
    { code: 'safety', from: [9, 20], to: [10, 14], coverage: 0.9 },
  ]
  const firstYear = new Date(start + CST).getUTCFullYear()
  const lastYear = new Date(now + CST).getUTCFullYear()
  for (let y = firstYear; y <= lastYear; y++) {
    for (const c of campaigns) {
      const fromDay = Math.floor(Date.UTC(y, c.from[0], c.from[1]) / DAY)
      const toDay = Math.floor(Date.UTC(y, c.to[0], c.to[1]) / DAY)
      if (fromDay * DAY - CST < start || fromDay * DAY - CST >= now) continue
      for (const home of homes) {
        if (!home.livesHere || !rng.chance(c.coverage)) continue
        const ms = daytime(rng, workday(rng, rng.int(fromDay, toDay)))
        if (ms >= now) continue
        const outcome = rng.weighted([['met', 86], ['not_home', 12], ['refused', 2]] as const)
        emit(home, ms, outcome, outcome === 'met' ? c.code : null)
        if (outcome === 'not_home' && rng.chance(0.5)) {
          const again = daytime(rng, workday(rng, dayOf(ms) + rng.int(2, 6)))
          if (again < now) emit(home, again, 'met', c.code)
        }
      }
    }
  }

  out.sort((a, b) => a.ms - b.ms || (a.visit.id < b.visit.id ? -1 : a.visit.id > b.visit.id ? 1 : 0))
  return out.map((x) => x.visit)
}

function makeVisit(
  rng: Rng,
  home: Home,
  ms: number,
  outcome: Outcome,
  code: TemplateCode | null,
  templates: Map<TemplateCode, ChecklistTemplate>,
  idBytes: (n: number) => Uint8Array,
): Visit {
  const record = home.record!
  const people = home.people
  const template = code ? templates.get(code)! : null
  const frail = record.tags.some((t) => FRAIL_TAGS.includes(t))
  const maxAge = people.reduce((a, p) => Math.max(a, p.age), 0)

  let residentIds: string[] = []
  if (outcome === 'met' && people.length > 0 && home.livesHere) {
    const n = Math.min(people.length, rng.weighted([[1, 6], [2, 3], [3, 1]] as const))
    residentIds = rng.shuffle(people.slice()).slice(0, n).map((p) => p.record.id)
  } else if (outcome === 'phone' && people.length > 0) {
    const withPhone = people.filter((p) => p.record.phone)
    residentIds = [(withPhone.length > 0 ? rng.pick(withPhone) : people[0]!).record.id]
  }

  let answers: Answers = {}
  if (template && code) {
    const ctx: AnswerContext = { maxAge, frail, occupants: home.livesHere ? people.length : 0, bungalow: home.bungalow, byPhone: outcome === 'phone' }
    answers = answersFor(code, rng, ctx)
  }

  const empty = people.length === 0
  let notes: string
  switch (outcome) {
    case 'not_home':
      notes = rng.pick(empty ? NOTES.vacant : NOTES.notHome)
      break
    case 'refused':
      notes = rng.pick(NOTES.refused)
      break
    case 'phone':
      notes = rng.pick(NOTES.phone)
      break
    default:
      if (empty) notes = rng.pick(NOTES.vacant)
      else if (code === 'care') notes = rng.pick(frail && rng.chance(0.6) ? NOTES.careFrail : NOTES.careElderly)
      else if (code === 'safety') notes = rng.pick(NOTES.safety)
      else if (code === 'outreach') notes = rng.pick(NOTES.outreach)
      else if (record.attention === 'key' && rng.chance(0.5)) notes = rng.pick(NOTES.key)
      else if (home.housing === 'rented' && rng.chance(0.5)) notes = rng.pick(NOTES.rental)
      else notes = rng.pick(NOTES.routine)
  }
  if (rng.chance(0.03)) notes = ''

  const needs = (outcome === 'met' && !empty && rng.chance(0.07)) || (outcome === 'phone' && rng.chance(0.03)) ? rng.pick(NEEDS) : ''
  const followUpDate = needs && rng.chance(0.5) ? isoDay(dayOf(ms) + rng.int(3, 14)) : null

  let location: GeoPoint | null = null
  const at = home.building.location
  if (outcome !== 'phone' && at && rng.chance(0.85)) {
    const accuracy = rng.int(5, 40)
    const dx = rng.gauss() * (6 + accuracy / 4)
    const dy = rng.gauss() * (6 + accuracy / 4)
    location = { lat: round6(at.lat + dy / M_PER_DEG_LAT), lng: round6(at.lng + dx / M_PER_DEG_LNG), accuracy, source: 'gps' }
  }

  return {
    id: uuidv7(ms, idBytes),
    householdId: record.id,
    gridId: record.gridId,
    workerId: home.cell.workerId,
    startedAt: new Date(ms).toISOString(),
    outcome,
    residentIds,
    templateId: template?.id ?? null,
    templateVersion: template?.version ?? null,
    answers,
    notes,
    needs,
    followUpDate,
    location,
    photoIds: [],
  }
}
