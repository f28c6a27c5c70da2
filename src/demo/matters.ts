// The demo's 议题 (docs/matters.md), so a newcomer sees the 六民 way at every stage: the elevator
// of the stairwell the demo's closed 加装电梯 vote decided, taken like 上羊市街社区's from 提 to 评
// (eight 议事协商会 with the low-floor households, 业委会 and 物业, the vote, 公示, ¥360,000 shared by
// floor bands among the stairwell's households exactly as the server's 分摊 computes it, their
// contributions, the 区住建局 subsidy, expenses with receipt photos, the work as tasks, and the
// residents' judgement); and beside it a matter just raised from a need, one under discussion
// (from a case, a meeting held and one arranged), one decided by a meeting's resolution with its
// 公示 still running, one closed (settled at the meeting) and one dropped. Every move is one
// matterFlow.ts allows at its time, and the ledger's balance never goes below zero
// (tests/demo/matters.test.ts replays them). Own random streams: nothing generated before changes.
import { createHash } from 'node:crypto'
import jpeg from 'jpeg-js'
import type {
  Building,
  Campaign,
  Case,
  FloorBand,
  FundingRule,
  GridCell,
  Household,
  LedgerEntry,
  Matter,
  MatterAction,
  MatterDecision,
  MatterOrigin,
  MatterScope,
  MatterStep,
  MatterTask,
  Meeting,
  MeetingParty,
  Need,
  Position,
  Publicity,
  Resource,
} from '../domain'
import { uuidv7 } from '../domain/ids'
import { applyMatterAction, inMatterScope, MATTER_FLOW } from '../domain/matterFlow'
import { computeShares, yuan } from '../domain/matterLedger'
import { FUNDING_RULE_ZH } from '../domain/schemas/matter'
import type { Rng } from './random'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const CST = 8 * HOUR

/** ¥ → fen. */
const fen = (yuanAmount: number) => Math.round(yuanAmount * 100)

export const ELEVATOR_BUDGET = fen(360_000)
export const ELEVATOR_SUBSIDY = fen(200_000)
/** What the stairwell's owners share among themselves: the budget less the subsidy. */
export const ELEVATOR_APPORTIONED = ELEVATOR_BUDGET - ELEVATOR_SUBSIDY
const ELEVATOR_OTHER_INCOME = fen(20_000)

export interface MatterOptions {
  rng: Rng
  idBytes: (n: number) => Uint8Array
  now: number
  gridCells: readonly GridCell[]
  buildings: readonly Building[]
  households: readonly Household[]
  needs: readonly Need[]
  cases: readonly Case[]
  campaigns: readonly Campaign[]
  resources: readonly Resource[]
  secretary: { id: string; name: string }
}

/** A photo the office uploaded (a receipt, the finished work): real JPEG bytes, by content. */
export interface DemoPhoto {
  sha256: string
  mime: 'image/jpeg'
  bytes: Uint8Array
  uploadedBy: string
  uploadedAt: string
}

export interface DemoMatters {
  matters: Matter[]
  /** Every step of every matter, in time order (each matter's in its order). */
  matterSteps: MatterStep[]
  meetings: Meeting[]
  /** In the order recorded. */
  ledgerEntries: LedgerEntry[]
  photos: DemoPhoto[]
}

/** Who is invited to a meeting; whether they came is known once it is held. */
type Invited = (MeetingParty extends infer P ? (P extends MeetingParty ? Omit<P, 'present'> : never) : never) & { present?: boolean }

const iso = (ms: number) => new Date(ms).toISOString()
const dayOf = (ms: number) => Math.floor((ms + CST) / DAY)
const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10)
/** hh:mm China time on a China-local day. */
const at = (day: number, hh: number, mm = 0) => day * DAY - CST + (hh * 60 + mm) * MINUTE

/** The demo's floor bands for a stairwell: the ground floor pays nothing (the elevator does not
 *  serve it), the floors above share 10 %, 20 %, 30 % and 40 % from the bottom band to the top
 *  (fewer floors: fewer bands, still rising), lower bands holding more floors so that every
 *  household above pays more than any below it. */
export function elevatorBands(floors: readonly number[]): FloorBand[] | null {
  const sorted = [...new Set(floors)].sort((a, b) => a - b)
  if (sorted.length < 2) return null
  const [ground, ...upper] = sorted as [number, ...number[]]
  const percents = [[100], [40, 60], [20, 30, 50], [10, 20, 30, 40]][Math.min(4, upper.length) - 1]!
  const k = percents.length
  const bands: FloorBand[] = [{ fromFloor: ground, toFloor: ground, percent: 0 }]
  let i = 0
  for (let b = 0; b < k; b++) {
    const size = Math.floor(upper.length / k) + (b < upper.length % k ? 1 : 0)
    const group = upper.slice(i, i + size)
    i += size
    bands.push({ fromFloor: group[0]!, toFloor: group[group.length - 1]!, percent: percents[b]! })
  }
  // A gap between bands (a floor nobody lives on) still belongs to the band below it.
  for (let b = 1; b < bands.length - 1; b++) bands[b]!.toFloor = bands[b + 1]!.fromFloor - 1
  return bands
}

// ---- photos: small real JPEGs ----
// Encoding is slow in plain JavaScript (tens of milliseconds a picture), so each picture is drawn
// and encoded once per process, and every photo made from it carries its own words in a JPEG
// comment (COM) segment: bytes of its own, so a hash of its own, and still a JPEG that decodes.

function canvas(width: number, height: number, rgb: readonly [number, number, number]) {
  const data = Buffer.alloc(width * height * 4)
  for (let p = 0; p < width * height; p++) data.set([rgb[0], rgb[1], rgb[2], 255], p * 4)
  const rect = (x0: number, y0: number, w: number, h: number, c: readonly [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) data.set([c[0], c[1], c[2]], (y * width + x) * 4)
  }
  const ring = (cx: number, cy: number, r: number, c: readonly [number, number, number]) => {
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++) {
        const d = Math.hypot(x - cx, y - cy)
        if (d <= r && d >= r - 3 && x >= 0 && y >= 0 && x < width && y < height) data.set([c[0], c[1], c[2]], (y * width + x) * 4)
      }
  }
  const encode = () => Buffer.from(jpeg.encode({ width, height, data }, 70).data)
  return { rect, ring, encode }
}

/** A receipt (发票/收据): paper, a heading, lines of print, the amount, a red stamp. */
function drawReceipt(): Buffer {
  const c = canvas(96, 128, [244, 243, 234])
  c.rect(18, 8, 60, 6, [60, 60, 70])
  ;[64, 48, 72, 56, 40, 68, 52, 60, 44, 70].forEach((w, i) => c.rect(8, 24 + i * 7, w, 3, [120, 120, 130]))
  c.rect(44, 100, 44, 5, [40, 40, 50])
  c.ring(70, 98, 13, [200, 30, 30])
  return c.encode()
}

/** The finished elevator: a glass shaft against the stairwell's wall. */
function drawElevator(): Buffer {
  const c = canvas(128, 96, [170, 200, 230])
  c.rect(0, 20, 80, 76, [200, 180, 160])
  for (let y = 28; y < 90; y += 14) for (let x = 8; x < 72; x += 20) c.rect(x, y, 10, 8, [90, 110, 130])
  c.rect(80, 10, 26, 86, [120, 160, 180])
  for (let y = 14; y < 92; y += 12) c.rect(82, y, 22, 1, [80, 90, 100])
  c.rect(0, 88, 128, 8, [110, 110, 100])
  return c.encode()
}

const drawn = new Map<string, Buffer>()
/** The picture with `words` in a comment segment after its start marker. */
function pictureWith(picture: 'receipt' | 'elevator', words: string): Buffer {
  let base = drawn.get(picture)
  if (!base) drawn.set(picture, (base = picture === 'receipt' ? drawReceipt() : drawElevator()))
  const text = Buffer.from(words, 'utf8')
  const segment = Buffer.alloc(4 + text.length)
  segment.writeUInt16BE(0xfffe, 0)
  segment.writeUInt16BE(2 + text.length, 2)
  text.copy(segment, 4)
  return Buffer.concat([base.subarray(0, 2), segment, base.subarray(2)])
}

// ---- the matters ----

export function makeMatters(o: MatterOptions): DemoMatters {
  const { rng, now, secretary } = o
  const today = dayOf(now)
  const matters: Matter[] = []
  const matterSteps: MatterStep[] = []
  const meetings: Meeting[] = []
  const ledgerEntries: LedgerEntry[] = []
  const photos: DemoPhoto[] = []
  const id = (ms: number) => uuidv7(ms, o.idBytes)
  const buildingById = new Map(o.buildings.map((b) => [b.id, b]))
  const compoundOf = (buildingId: string) => buildingById.get(buildingId)?.compound
  const householdById = new Map(o.households.map((h) => [h.id, h]))
  const residential = (h: Household | undefined) => {
    const b = h?.buildingId ? buildingById.get(h.buildingId) : undefined
    return b && b.kind === 'residential' && b.units > 0 ? b : undefined
  }
  const unitResource = (name: string) => o.resources.find((r) => r.kind === 'unit' && r.name === name && r.active)

  /** The live households of a scope, as the server's scopeView finds them (in the register's
   *  order: nothing here depends on the order, shares least of all). */
  const householdsOf = (scope: MatterScope) => o.households.filter((h) => inMatterScope(scope, h, compoundOf))
  /** The cells a matter of this scope touches, as the server fixes them when it is raised. */
  const cellsOf = (scope: MatterScope, hs: readonly Household[]) => {
    const cells = new Set(hs.map((h) => h.gridId))
    if (scope.kind === 'building' || scope.kind === 'unit') cells.add(buildingById.get(scope.buildingId)!.gridId)
    if (scope.kind === 'community') for (const g of o.gridCells) cells.add(g.id)
    return [...cells].sort()
  }

  /** A matter as matter:create stores it, with its raise step. */
  const raise = (f: { title: string; description: string; scope: MatterScope; origin: MatterOrigin; raisedByName: string; raisedAt: number; budget?: number | null }): Matter | null => {
    const hs = householdsOf(f.scope)
    if (hs.length === 0) return null
    const m: Matter = {
      id: id(f.raisedAt),
      title: f.title,
      description: f.description,
      scope: f.scope,
      origin: f.origin,
      raisedByName: f.raisedByName,
      raisedAt: iso(f.raisedAt),
      gridIds: cellsOf(f.scope, hs),
      stage: 'raised',
      consultationCampaignIds: [],
      decision: null,
      publicity: null,
      budget: f.budget ?? null,
      funding: null,
      projectId: null,
      tasks: [],
      satisfactionCampaignId: null,
      evaluation: '',
      endReason: null,
      createdBy: secretary.id,
      createdAt: iso(f.raisedAt),
      updatedAt: iso(f.raisedAt),
    }
    matters.push(m)
    matterSteps.push({ id: id(f.raisedAt), matterId: m.id, action: 'raise', from: null, to: 'raised', actorId: secretary.id, actorName: secretary.name, at: iso(f.raisedAt), note: '', photoIds: [] })
    return m
  }

  /** A move of matterFlow.ts, written as the server writes it: the matter and its step. */
  const move = (
    m: Matter,
    action: MatterAction,
    ms: number,
    input: { note?: string; decision?: MatterDecision; publicity?: Publicity; evaluation?: string; photoIds?: string[] } = {},
  ) => {
    const to = MATTER_FLOW[action].to ?? m.stage
    const next = applyMatterAction(m, to, { action, note: input.note ?? '', decision: input.decision, publicity: input.publicity, evaluation: input.evaluation }, iso(ms))
    matterSteps.push({ id: id(ms), matterId: m.id, action, from: m.stage, to, actorId: secretary.id, actorName: secretary.name, at: iso(ms), note: input.note ?? '', photoIds: input.photoIds ?? [] })
    Object.assign(m, next)
  }

  /** A meeting, recorded when it was arranged and filled in on the evening it was held (if it
   *  has been held by now). */
  const meeting = (
    m: Matter,
    f: { day: number; time: string; place: string; arrangedAt: number; parties: Invited[]; positions?: Position[]; minutes?: string; nextSteps?: string },
  ): Meeting => {
    const [hh, mm] = f.time.split(':').map(Number) as [number, number]
    const end = at(f.day, hh, mm) + 2 * HOUR
    const held = end < now
    const rec: Meeting = {
      id: id(f.arrangedAt),
      matterId: m.id,
      day: isoDay(f.day),
      time: f.time,
      place: f.place,
      parties: f.parties.map((p) => ({ ...p, present: held && (p.present ?? true) }) as MeetingParty),
      positions: held ? (f.positions ?? []) : [],
      minutes: held ? (f.minutes ?? '') : '',
      nextSteps: held ? (f.nextSteps ?? '') : '',
      photoIds: [],
      recordedBy: secretary.id,
      recordedAt: iso(f.arrangedAt),
      updatedAt: iso(held ? end : f.arrangedAt),
    }
    meetings.push(rec)
    return rec
  }
  const households = (hs: readonly Household[], present = 0.8): Invited[] =>
    hs.map((h) => ({ kind: 'household' as const, householdId: h.id, present: rng.chance(present) }))
  const sample = <T>(xs: readonly T[], n: number) => rng.shuffle([...xs]).slice(0, n)

  type EntryFields =
    | { kind: 'share' | 'contribution'; householdId: string }
    | { kind: 'subsidy' | 'other_income'; source: string }
    | { kind: 'expense'; what: string }
    | { kind: 'correction'; correctsId: string }
  const entry = (m: Matter, fields: EntryFields, amount: number, ms: number, note = '', photoIds: string[] = []): LedgerEntry => {
    const e = { id: id(ms), matterId: m.id, amount, day: isoDay(dayOf(ms)), note, photoIds, recordedBy: secretary.id, recordedAt: iso(ms), ...fields } as LedgerEntry
    ledgerEntries.push(e)
    return e
  }
  const photo = (bytes: Buffer, ms: number): string => {
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    photos.push({ sha256, mime: 'image/jpeg', bytes, uploadedBy: secretary.id, uploadedAt: iso(ms) })
    return sha256
  }
  const office = (day: number) => at(day, 9, rng.int(10, 50)) + rng.int(0, 59) * 1000
  const afternoon = (day: number) => at(day, 14, rng.int(10, 50)) + rng.int(0, 59) * 1000

  // ---- 1. the elevator: 提 → 议 → 决 → 筹 → 办 → 评 ----
  const vote = o.campaigns.find((c) => c.kind === 'vote' && c.status === 'closed' && c.closedAt && c.vote?.scope.kind === 'unit' && c.results?.vote?.tally.passed)
  const voteScope = vote?.vote?.scope
  if (vote && voteScope?.kind === 'unit') elevator(vote, { kind: 'unit', buildingId: voteScope.buildingId, unit: voteScope.unit })

  function elevator(vote: Campaign, scope: MatterScope & { kind: 'unit' }) {
    const building = buildingById.get(scope.buildingId)!
    const stairwell = householdsOf(scope)
    const bands = elevatorBands(stairwell.map((h) => h.floor ?? 0))
    if (!bands || stairwell.some((h) => h.floor === null)) return
    const rule: FundingRule = { kind: 'floor', bands }
    const shares = computeShares(
      rule,
      ELEVATOR_APPORTIONED,
      stairwell.map((h) => ({ householdId: h.id, floor: h.floor, area: h.area ?? null, place: h.address })),
    )
    if (!shares.ok) return
    const where = `${building.compound}${building.number}${scope.unit}单元`
    const ground = bands[0]!.fromFloor
    const low = stairwell.filter((h) => h.floor! <= ground + 1)
    const works = unitResource('街道城建办')
    const C = dayOf(Date.parse(vote.closedAt!))

    const m = raise({
      title: `${where}加装电梯`,
      description: `${where}是没有电梯的老楼，高层住户多是老人，上下楼难。高层住户联名提出加装电梯，请社区牵头和全单元住户商量：井道位置、采光和噪音、费用怎么分摊、建成后怎么管理。`,
      scope,
      origin: { kind: 'office' },
      raisedByName: `${scope.unit}单元高层住户`,
      raisedAt: office(C - 150),
      budget: ELEVATOR_BUDGET,
    })
    if (!m) return
    const everyone = (present = 0.8) => households(stairwell, present)
    const T = { owners: { kind: 'owners_committee' as const }, property: { kind: 'property' as const }, branch: { kind: 'party_branch' as const } }
    const sides: Array<{ day: number; place: string; parties: Invited[]; positions: Position[]; minutes: string; nextSteps: string }> = [
      {
        day: C - 142,
        place: '楼道议事角',
        parties: [...everyone(0.85), T.branch],
        positions: [
          { party: '高层住户', text: '家里老人腿脚不好，一个月下不了几次楼，盼着装电梯。' },
          { party: '低层住户', text: '一楼、二楼用不上电梯，担心井道挡光、施工和运行有噪音。' },
        ],
        minutes: '第一次议事协商会，全单元住户和党支部参加。高层住户说明了加装电梯的迫切需要，低层住户讲了对采光和噪音的顾虑。大家同意先了解政策和方案，再商量。',
        nextSteps: '请街道城建办介绍加装电梯的补贴政策；请物业查清楼前管线和绿化。',
      },
      {
        day: C - 125,
        place: '社区党群服务中心会议室',
        parties: [...everyone(0.7), T.owners, T.property, ...(works ? [{ kind: 'unit' as const, resourceId: works.id }] : [])],
        positions: [
          { party: '街道城建办', text: '老旧小区加装电梯有区住建局补贴，每台最高20万元；需要本单元业主表决同意、公示无异议后申请。' },
          { party: '物业', text: '楼前有燃气管和雨水管，井道位置要避开，管线迁移费用要算进预算。' },
          { party: '业委会', text: '支持加装，建议全单元业主按民法典的规定表决，结果公开。' },
        ],
        minutes: '街道城建办介绍了补贴政策和审批流程，物业介绍了楼前管线情况，业委会表示支持。住户询问了补贴到账时间和施工周期。',
        nextSteps: '请设计单位出两个井道方案，下次议事会比选。',
      },
      {
        day: C - 110,
        place: '邻里议事厅',
        parties: [...everyone(0.75), T.property, { kind: 'other' as const, name: '设计单位' }],
        positions: [
          { party: '设计单位', text: '方案一井道在楼梯间北侧，半层入户；方案二在南侧，平层入户但离二楼窗户近。' },
          { party: '低层住户', text: '南侧方案挡二楼卧室的光，不能接受。' },
          { party: '高层住户', text: '半层入户也可以，先把电梯装起来。' },
        ],
        minutes: '设计单位介绍了两个井道方案。低层住户反对南侧方案，多数住户倾向北侧半层入户方案。',
        nextSteps: '按北侧方案深化设计，改用玻璃井道减少挡光；单独听一听一楼、二楼住户的意见。',
      },
      {
        day: C - 95,
        place: '楼道议事角',
        parties: [...households(low, 0.9), T.branch],
        positions: [
          { party: '一楼住户', text: '电梯对一楼没有用，施工还要占用楼前空地，希望一楼不出钱。' },
          { party: '二楼住户', text: '玻璃井道可以接受，希望电梯运行噪音有保证，晚上十点后低速运行。' },
        ],
        minutes: '低层住户专题议事会。党支部书记和低层住户逐户交流，记录了采光、噪音、占地和出资的顾虑。',
        nextSteps: '把低层住户的意见带到下次全体议事会，商量出资比例时一楼不出资。',
      },
      {
        day: C - 80,
        place: '邻里议事厅',
        parties: [...everyone(0.8), T.owners],
        positions: [
          { party: '高层住户', text: '楼层越高用得越多，愿意多出。' },
          { party: '二楼住户', text: '二楼很少坐电梯，希望比例低一些。' },
          { party: '业委会', text: '建议一楼不出资，二楼以上按楼层从低到高10%、20%、30%、40%分摊，补贴以外的部分由住户分摊。' },
        ],
        minutes: '讨论费用分摊。多数住户同意一楼不出资，二楼以上按楼层段10%到40%分摊政府补贴以外的费用。',
        nextSteps: '请设计单位和电梯公司报价，确定总预算。',
      },
      {
        day: C - 65,
        place: '小区议事亭',
        parties: [...everyone(0.7), T.owners, T.property, { kind: 'other' as const, name: '电梯公司' }],
        positions: [
          { party: '电梯公司', text: '设备、安装和土建合计约36万元，含一年免费维保。' },
          { party: '物业', text: '电梯建成后物业配合日常管理，维保费和电费由使用的住户分担。' },
          { party: '业委会', text: '建议签订电梯使用管理协议，写清维保、电费和故障处理。' },
        ],
        minutes: '电梯公司报价约36万元。物业和业委会就建成后的管理提出建议，住户同意签订电梯使用管理协议。',
        nextSteps: '确定预算36万元；起草电梯使用管理协议。',
      },
      {
        day: C - 50,
        place: '楼道议事角',
        parties: [...everyone(0.8), T.property],
        positions: [
          { party: '低层住户', text: '施工时间要避开午休和晚上，工地要围挡。' },
          { party: '物业', text: '施工期间每天清理楼道和楼前，建材不堆在楼道。' },
        ],
        minutes: '商量施工安排：工作日施工，中午12点到2点和晚上6点后不施工，工地围挡，物业每天清理。',
        nextSteps: '下次议事会确认方案、预算和分摊比例，然后组织业主表决。',
      },
      {
        day: C - 35,
        place: '社区党群服务中心会议室',
        parties: [...everyone(0.85), T.owners, T.property, T.branch, ...(works ? [{ kind: 'unit' as const, resourceId: works.id }] : [])],
        positions: [
          { party: '高层住户', text: '方案、预算和分摊比例都同意，尽快表决。' },
          { party: '低层住户', text: '一楼不出资、玻璃井道、限时施工，这样可以接受。' },
          { party: '街道城建办', text: '表决通过并公示后即可申请补贴和施工许可。' },
        ],
        minutes: '第八次议事协商会。确认北侧玻璃井道方案、预算36万元（其中申请补贴20万元），一楼不出资、二楼以上按楼层分摊16万元，施工限时。会议同意组织本单元业主表决。',
        nextSteps: '按分摊比例算出每户份额并告知住户；组织本单元业主表决。',
      },
    ]
    const [first] = sides.map((s) => meeting(m, { ...s, time: '19:00', arrangedAt: office(s.day - 5) }))
    move(m, 'discuss', Date.parse(first!.recordedAt) + HOUR, { note: '首次议事协商会定在楼道议事角，请全单元住户参加' })

    // 分摊 after the eighth meeting: each household's share, as the server writes them.
    const apportionAt = office(C - 33)
    const due = shares.shares.filter((s) => s.amount > 0)
    for (const s of due) entry(m, { kind: 'share', householdId: s.householdId }, s.amount, apportionAt)
    const words = `${FUNDING_RULE_ZH.floor}分摊 ${yuan(ELEVATOR_APPORTIONED)}，${due.length} 户`
    move(m, 'apportion', apportionAt, { note: `${words}；一楼不出资，二楼以上按楼层10%到40%` })
    m.funding = { rule, amount: ELEVATOR_APPORTIONED, households: due.length, apportionedAt: iso(apportionAt) }

    // From here on the story goes as far as the days since the vote allow (all of it unless the
    // demo has only a few months of visits, and so a recent vote).
    const by = (day: number) => day < today

    // 决: the vote, the day after it closed; two weeks' 公示.
    if (!by(C + 1)) return
    move(m, 'decide', office(C + 1), {
      note: '本单元业主表决通过（人数和面积都过三分之二参与、四分之三同意），公示两周',
      decision: { kind: 'vote', campaignId: vote.id },
      publicity: { startDay: isoDay(C + 1), endDay: isoDay(C + 14) },
    })

    // 筹: the owners pay their shares (one household overpaid and was corrected; the flat the
    // vote never reached paid part of its share before the work, the rest after it), the
    // party organisation's fund and the district's subsidy.
    const byHousehold = new Map(due.map((s) => [s.householdId, s.amount]))
    const payers = due.map((s) => householdById.get(s.householdId)!)
    const late = payers[payers.length - 1]!
    const lateRest = Math.min(Math.floor(byHousehold.get(late.id)! / 2 / 10_000) * 10_000, ELEVATOR_OTHER_INCOME)
    const overpaid = payers.length > 2 ? payers[Math.floor(payers.length / 2)]! : null
    for (const h of payers) {
      const share = byHousehold.get(h.id)!
      const day = C + rng.int(3, 25)
      if (!by(day + 1)) continue
      const paidAt = afternoon(day)
      if (h === late && lateRest > 0) {
        entry(m, { kind: 'contribution', householdId: h.id }, share - lateRest, paidAt, '先交一部分，余款完工后交')
        continue
      }
      if (h === overpaid) {
        const e = entry(m, { kind: 'contribution', householdId: h.id }, share + fen(1_000), paidAt)
        entry(m, { kind: 'correction', correctsId: e.id }, -fen(1_000), office(day + 1), '核对收据，多记了¥1,000.00')
        continue
      }
      entry(m, { kind: 'contribution', householdId: h.id }, share, paidAt)
    }
    if (by(C + 10)) entry(m, { kind: 'other_income', source: '社区党组织服务群众专项经费' }, ELEVATOR_OTHER_INCOME, afternoon(C + 10), '社区党委会研究同意')
    if (by(C + 30)) entry(m, { kind: 'subsidy', source: '区住建局加装电梯补贴' }, ELEVATOR_SUBSIDY, afternoon(C + 30), '公示期满无异议，补贴拨付到位')
    const F = C + 34
    if (!by(F)) return
    move(m, 'fund', office(F), { note: '补贴和住户出资到位，公示期满无异议' })

    // 办: the work, each piece with its day; every expense with its receipt.
    const spend = (day: number, what: string, amount: number) => {
      if (!by(day)) return
      const ms = afternoon(day)
      entry(m, { kind: 'expense', what }, amount, ms, '', [photo(pictureWith('receipt', `Zoufang demo receipt ${m.id} ${isoDay(day)} ${amount}`), ms - 10 * MINUTE)])
    }
    spend(F + 2, '设计费和施工图审查费', fen(12_000))
    spend(F + 6, '电梯设备首付款', fen(108_000))
    spend(F + 20, '燃气管和雨水管迁移', fen(18_500))
    spend(F + 55, '井道基础和钢结构施工款', fen(96_000))
    spend(F + 85, '电梯设备尾款', fen(72_000))
    spend(F + 95, '连廊和入户平台装修', fen(38_000))
    spend(F + 103, '特种设备检验费和监理费', fen(9_600))
    const accepted = by(F + 103) ? [photo(pictureWith('elevator', `Zoufang demo elevator ${m.id} ${isoDay(F + 103)}`), afternoon(F + 103))] : []
    // The tasks listed on the day the money was in, each patched done on the evening it was.
    const patchedAt = [at(F, 17, 30)]
    const task = (n: number, title: string, day: number, photoIds: string[] = [], note = ''): MatterTask => {
      if (!by(day)) return { id: id(at(F, 17) + n), title, done: false, doneDay: null, photoIds: [], note: '' }
      patchedAt.push(at(day, 18))
      return { id: id(at(F, 17) + n), title, done: true, doneDay: isoDay(day), photoIds, note }
    }
    m.tasks = [
      task(1, '施工图设计和审查', F + 2),
      task(2, '燃气管、雨水管迁移', F + 20, [], '迁移期间停气半天，已提前通知'),
      task(3, '井道基础和钢结构施工', F + 55),
      task(4, '电梯安装和调试', F + 85),
      task(5, '连廊和入户平台装修', F + 95),
      task(6, '特种设备检验和竣工验收', F + 103, accepted, '检验合格，取得使用标志'),
      task(7, '签订电梯使用管理协议', F + 104, [], '维保、电费和故障处理写进协议，全体住户签字'),
    ]
    m.updatedAt = iso(Math.max(Date.parse(m.updatedAt), ...patchedAt))
    if (!by(F + 105)) return
    move(m, 'complete', office(F + 105), { note: '电梯通过特种设备检验，投入使用' })
    if (lateRest > 0 && by(F + 110)) entry(m, { kind: 'contribution', householdId: late.id }, lateRest, afternoon(F + 110), '补交余款')

    // 评: a month and more of use, the residents' judgement heard door to door.
    if (!by(F + 134)) return
    const n = stairwell.length
    const pleased = Math.max(0, n - 2)
    move(m, 'judge', office(F + 134), {
      evaluation: `电梯投入使用一个月后，社区工作者逐户回访本单元${n}户：满意${pleased}户，基本满意${n - pleased}户。高层老人说现在天天能下楼；低层住户反映玻璃井道对采光影响不大，夜间低速运行噪音小。住户建议每年公示电梯维保和电费开支。`,
    })
  }

  // ---- 2. 提: raised from a need heard on a visit ----
  const NEED_MATTERS: ReadonlyArray<{ text: string; scope: 'building' | 'compound'; title: (b: Building) => string; description: string; by: (b: Building) => string }> = [
    { text: '屋顶漏雨', scope: 'building', title: (b) => `${b.compound}${b.number}屋顶防水维修`, description: '顶楼住户反映屋顶漏雨，墙面发霉。请物业先出维修方案和报价，再开议事会商量是否申请使用住宅专项维修资金。', by: (b) => `${b.number}顶楼住户` },
    { text: '下水道堵塞，希望物业处理', scope: 'building', title: (b) => `${b.compound}${b.number}下水管道改造`, description: '住户反映下水道经常堵塞，管道老化。请物业查清原因，商量整栋楼更换主管道的方案和费用。', by: (b) => `${b.number}住户` },
    { text: '小区停车难', scope: 'compound', title: (b) => `${b.compound}停车位挖潜`, description: '住户反映晚上停车难，车辆占用消防通道。请物业和业委会一起摸排可以增设车位的地方，商量停车管理办法。', by: (b) => `${b.compound}居民` },
    { text: '楼道灯坏了，希望维修', scope: 'building', title: (b) => `${b.compound}${b.number}楼道灯改造`, description: '住户反映楼道灯经常坏，晚上上下楼不安全。商量整栋楼更换声控节能灯的方案和费用。', by: (b) => `${b.number}住户` },
  ]
  const heard = [...o.needs].filter((n) => n.source.kind === 'visit' && Date.parse(n.raisedAt) < now - 2 * DAY).sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? -1 : 1))
  for (const kind of NEED_MATTERS) {
    const need = heard.find((n) => n.description === kind.text && residential(householdById.get(n.householdIds[0]!)))
    if (!need) continue
    const b = residential(householdById.get(need.householdIds[0]!))!
    raise({
      title: kind.title(b),
      description: kind.description,
      scope: kind.scope === 'building' ? { kind: 'building', buildingId: b.id } : { kind: 'compound', compound: b.compound },
      origin: { kind: 'need', needId: need.id },
      raisedByName: kind.by(b),
      raisedAt: Math.min(now - HOUR, office(dayOf(Date.parse(need.raisedAt)) + 1)),
    })
    break
  }

  // ---- 3. 议: an e-bike charging shed, from a case; a meeting held, the next one arranged ----
  const caseFor = (words: RegExp, before: number) =>
    [...o.cases].filter((c) => words.test(c.title) && Date.parse(c.reportedAt) < before).sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt) || (a.id < b.id ? -1 : 1))[0]
  const buildingOfCase = (c: Case | undefined) =>
    (c && c.householdIds.map((h) => residential(householdById.get(h))).find(Boolean)) ?? (c && o.buildings.find((b) => b.gridId === c.gridId && b.kind === 'residential' && b.units > 0))
  const blocks = o.buildings.filter((b) => b.kind === 'residential' && b.units > 0)
  /** A block of flats anywhere, for a matter the office raised itself. */
  const someBlock = () => (blocks.length ? rng.pick(blocks) : undefined)
  {
    const c = caseFor(/充电/, now - 20 * DAY)
    const b = buildingOfCase(c) ?? someBlock()
    const R = today - 18
    const m = b
      ? raise({
          title: `${b.compound}电动车集中充电棚`,
          description: '网格员多次发现电动车推进楼道充电、电线从窗户私拉下来，有火灾隐患。住户希望在小区里建集中充电棚，请物业、业委会和住户一起商量选址、费用和管理。',
          scope: { kind: 'compound', compound: b.compound },
          origin: c ? { kind: 'case', caseId: c.id } : { kind: 'office' },
          raisedByName: '网格员和居民',
          raisedAt: office(R),
        })
      : null
    if (m) {
      const hs = householdsOf(m.scope)
      const first = meeting(m, {
        day: today - 10,
        time: '19:00',
        place: '邻里议事厅',
        arrangedAt: office(R + 1),
        parties: [...households(sample(hs, 8)), { kind: 'owners_committee' }, { kind: 'property' }, { kind: 'party_branch' }],
        positions: [
          { party: '物业', text: '小区东侧围墙边的空地可以建充电棚，约40个车位，刷卡计费。' },
          { party: '一楼住户', text: '充电棚不要建在窗户底下，担心起火和晚上有人进出。' },
          { party: '业委会', text: '建设费用可以考虑用小区公共收益，需要业主大会同意。' },
        ],
        minutes: '大家都认为楼道充电太危险，需要集中充电棚；对选址有不同意见，一楼住户担心离住宅太近。',
        nextSteps: '物业出两个选址方案和报价，下次议事会比选。',
      })
      move(m, 'discuss', Date.parse(first.recordedAt) + HOUR, { note: '议事协商会定在邻里议事厅' })
      meeting(m, {
        day: today + 4,
        time: '19:00',
        place: '小区议事亭',
        arrangedAt: office(today - 9),
        parties: [...households(sample(hs, 10)), { kind: 'owners_committee' }, { kind: 'property' }],
      })
    }
  }

  // ---- 4. 决: fitness equipment decided by a meeting's resolution, its 公示 running ----
  {
    const culture = o.needs.filter((n) => n.category === 'culture' && n.source.kind === 'office').sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || (a.id < b.id ? -1 : 1))
    const need = culture.find((n) => residential(householdById.get(n.householdIds[0]!))) ?? culture[0]
    const h = need ? householdById.get(need.householdIds[0]!) : undefined
    const b = h?.buildingId ? buildingById.get(h.buildingId) : someBlock()
    const R = need ? Math.max(dayOf(Date.parse(need.raisedAt)) + 1, today - 19) : today - 19
    const m =
      b && R <= today - 13
        ? raise({
            title: `${b.compound}增设健身器材和老年活动场地`,
            description: '居民议事会上居民提出：小区没有健身器材，老人活动没有地方。请社区和物业一起看场地、出方案。',
            scope: { kind: 'compound', compound: b.compound },
            origin: need ? { kind: 'need', needId: need.id } : { kind: 'office' },
            raisedByName: '居民议事会',
            raisedAt: office(R),
            budget: fen(38_000),
          })
        : null
    if (m) {
      const hs = householdsOf(m.scope)
      const first = meeting(m, {
        day: R + 4,
        time: '19:00',
        place: '邻里议事厅',
        arrangedAt: office(R) + HOUR,
        parties: [...households(sample(hs, 8)), { kind: 'owners_committee' }, { kind: 'property' }, { kind: 'party_branch' }],
        positions: [
          { party: '老年居民', text: '希望有适合老人的健身器材和能坐下歇脚的地方。' },
          { party: '年轻家长', text: '希望顺便加几件儿童游乐设施。' },
          { party: '物业', text: '中心花园东侧的空地可以用，地面要重新铺装。' },
          { party: '低层住户', text: '器材离楼远一点，早上不要太吵。' },
        ],
        minutes: '大家同意在中心花园东侧增设健身器材，对位置和使用时间提出了要求。',
        nextSteps: '物业出场地平面图和报价，下次议事会定方案。',
      })
      move(m, 'discuss', Date.parse(first.recordedAt) + HOUR, { note: '议事协商会定在邻里议事厅' })
      const resolution = meeting(m, {
        day: R + 11,
        time: '19:00',
        place: '小区议事亭',
        arrangedAt: office(R + 5),
        parties: [...households(sample(hs, 8)), { kind: 'owners_committee' }, { kind: 'property' }],
        positions: [
          { party: '物业', text: '报价3.8万元，含8件健身器材、4张座椅和地面铺装。' },
          { party: '业委会', text: '同意用社区公益金列支，结果要公示。' },
        ],
        minutes: '比选了两个平面方案，与会各方同意东侧方案和预算。',
        nextSteps: '决议公示，公示期满后采购安装。',
      })
      const day = R + 12
      move(m, 'decide', office(day), {
        note: '议事会决议，公示十天',
        decision: {
          kind: 'resolution',
          meetingId: resolution.id,
          text: '在小区中心花园东侧空地增设老年健身器材8件和休息座椅4张，预算3.8万元，由社区公益金列支；器材离住宅楼不少于15米，早上7点前、晚上9点后不使用有声器材。',
        },
        publicity: { startDay: isoDay(day), endDay: isoDay(day + 9) },
      })
    }
  }

  // ---- 5. closed: square-dance noise, settled at the meeting ----
  {
    const c = caseFor(/广场舞/, now - 66 * DAY)
    const b = buildingOfCase(c) ?? someBlock()
    const R = today - 65
    const m = b
      ? raise({
          title: `${b.compound}广场舞音响噪音`,
          description: '住户反映每晚广场舞音响太响，影响孩子学习和老人休息。请舞蹈队、物业和住户一起商量活动地点和时间。',
          scope: { kind: 'compound', compound: b.compound },
          origin: c ? { kind: 'case', caseId: c.id } : { kind: 'office' },
          raisedByName: '小区居民',
          raisedAt: office(R),
        })
      : null
    if (m) {
      const first = meeting(m, {
        day: R + 5,
        time: '19:30',
        place: '小区议事亭',
        arrangedAt: office(R + 1),
        parties: [...households(sample(householdsOf(m.scope), 6)), { kind: 'property' }, { kind: 'other', name: '广场舞队' }],
        positions: [
          { party: '广场舞队', text: '愿意调低音量，希望保留活动场地。' },
          { party: '住户', text: '孩子晚上要写作业，希望八点半前结束。' },
          { party: '物业', text: '东侧空地离住宅楼远，可以给舞蹈队用。' },
        ],
        minutes: '各方同意：广场舞移到小区东侧空地，晚上八点半前结束，音量由物业和舞蹈队共同监督。',
        nextSteps: '物业在东侧空地装照明；一个月后回访住户。',
      })
      move(m, 'discuss', Date.parse(first.recordedAt) + HOUR, { note: '议事协商会定在小区议事亭' })
      move(m, 'close', office(R + 10), { note: '议事会上约定广场舞移到东侧空地、八点半前结束，音量由物业和舞蹈队共同监督；已协商解决，不需要再表决' })
    }
  }

  // ---- 6. dropped: a face-recognition door nobody would pay for ----
  {
    const c = caseFor(/门禁/, now - 151 * DAY)
    const b = buildingOfCase(c) ?? someBlock()
    const R = today - 150
    const m = b
      ? raise({
          title: `${b.compound}${b.number}单元门改人脸识别门禁`,
          description: '单元门禁经常损坏，外人随意进出。有住户提出改装人脸识别门禁，请大家商量是否改装和费用分摊。',
          scope: { kind: 'building', buildingId: b.id },
          origin: c ? { kind: 'case', caseId: c.id } : { kind: 'office' },
          raisedByName: `${b.number}住户`,
          raisedAt: office(R),
          budget: fen(56_000),
        })
      : null
    if (m) {
      const hs = householdsOf(m.scope)
      const first = meeting(m, {
        day: R + 8,
        time: '19:00',
        place: '楼道议事角',
        arrangedAt: office(R + 2),
        parties: [...households(sample(hs, 10)), { kind: 'property' }, { kind: 'owners_committee' }],
        positions: [
          { party: '物业', text: '人脸识别门禁每个单元约1.4万元，需要住户出资。' },
          { party: '老年住户', text: '老人用不惯人脸识别，修好原来的门禁就行。' },
          { party: '年轻住户', text: '愿意出钱，安全更重要。' },
        ],
        minutes: '住户意见分歧较大，多数老年住户不愿出资改装。',
        nextSteps: '物业先修好原门禁；一个月后再商量是否改装。',
      })
      move(m, 'discuss', Date.parse(first.recordedAt) + HOUR, { note: '议事协商会定在楼道议事角' })
      meeting(m, {
        day: R + 30,
        time: '19:00',
        place: '楼道议事角',
        arrangedAt: office(R + 24),
        parties: [...households(sample(hs, 10)), { kind: 'property' }],
        positions: [
          { party: '住户', text: '原门禁修好后好用了，不必再花钱改装。' },
          { party: '物业', text: '原门禁已更换门锁和闭门器，会加强巡查。' },
        ],
        minutes: '原门禁修好后运行正常，多数住户不同意出资改装人脸识别门禁。',
        nextSteps: '放弃改装；物业按月检查门禁。',
      })
      move(m, 'drop', office(R + 32), { note: '多数住户不愿为人脸识别门禁出资，原门禁修好后运行正常，议事会决定放弃改装' })
    }
  }

  matterSteps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1))
  meetings.sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.id < b.id ? -1 : 1))
  ledgerEntries.sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.id < b.id ? -1 : 1))
  matters.sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || (a.id < b.id ? -1 : 1))
  return { matters, matterSteps, meetings, ledgerEntries, photos }
}
