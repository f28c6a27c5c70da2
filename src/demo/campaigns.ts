// The demo's campaigns (专项任务), so a newcomer sees both kinds at once: a 燃气安全入户排查
// under way across several grid cells (households done, attempted and not yet, a few hazards),
// and a closed 加装电梯 vote of one stairwell, decided by number and floor area. Also each
// household's 建筑面积. Own random streams: nothing generated before changes with them.
import type { Answers, Building, Campaign, CampaignTarget, ChecklistTemplate, GeoPoint, GridCell, Household, Resident, Visit } from '../domain'
import { campaignFigures, type CampaignVisit } from '../domain/campaignFlow'
import { uuidv7 } from '../domain/ids'
import { MAJOR_MATTER } from '../domain/voteRules'
import type { Rng } from './random'

const DAY = 86_400_000
const CST = 8 * 3_600_000

export const CAMPAIGN_TEMPLATE_DEFS: readonly Omit<ChecklistTemplate, 'id'>[] = [
  {
    code: 'gas_inspection',
    name: '燃气安全入户排查',
    version: 1,
    items: [
      { id: 'pipe_ok', label: '燃气管道、阀门完好无泄漏', kind: 'yesno', required: true, hazardWhen: false },
      { id: 'hose_ok', label: '燃气软管未老化、未超期', kind: 'yesno', required: true, hazardWhen: false },
      { id: 'flame_guard', label: '灶具有熄火保护', kind: 'choice', options: ['有', '没有', '不清楚'], required: false, hazardWhen: ['没有'] },
      { id: 'ventilation', label: '厨房通风良好', kind: 'yesno', required: false, hazardWhen: false },
      { id: 'alarm', label: '安装了燃气报警器', kind: 'yesno', required: false },
      { id: 'notice', label: '已发放燃气安全告知书', kind: 'yesno', required: false },
      { id: 'advice', label: '整改建议', kind: 'text', required: false },
    ],
  },
  {
    code: 'elevator_vote',
    name: '加装电梯意见征询',
    version: 1,
    items: [
      { id: 'stance', label: '是否同意本单元加装电梯', kind: 'stance', required: true },
      { id: 'cost_share', label: '能否接受按楼层分摊费用', kind: 'choice', options: ['能接受', '不能接受', '还要商量'], required: false },
      { id: 'concerns', label: '意见和顾虑', kind: 'text', required: false },
    ],
  },
]

const ADVICE = ['更换老化软管', '联系燃气公司检修阀门', '加装熄火保护灶具', '保持厨房通风', '不要在厨房堆放杂物']
const CONCERNS = ['担心施工噪音', '希望尽快动工', '关心后期维保费用', '担心影响一楼采光', '']

/** 建筑面积: flats of the same door in a unit share a layout; 60–140 ㎡, two decimals. */
export function assignAreas(rng: Rng, households: Household[]): void {
  const layouts = new Map<string, number>()
  for (const h of households) {
    const door = h.room ? h.room.slice(-2) : h.id
    const key = `${h.buildingId}|${h.unit ?? ''}|${door}`
    let area = layouts.get(key)
    if (area === undefined) {
      area = Math.round(rng.float(60, 140) * 100) / 100
      layouts.set(key, area)
    }
    h.area = area
  }
}

export interface CampaignOptions {
  rng: Rng
  idBytes: (n: number) => Uint8Array
  now: number
  gridCells: readonly GridCell[]
  buildings: readonly Building[]
  households: readonly Household[]
  residents: readonly Resident[]
  /** Grid cell → its worker's id. */
  workerOf: ReadonlyMap<string, string>
  secretaryId: string
  /** The first moment the demo's visits may be on (visitMonths back): the vote's visits too. */
  visitsFrom?: number
}

export interface DemoCampaigns {
  templates: ChecklistTemplate[]
  campaigns: Campaign[]
  campaignTargets: CampaignTarget[]
  /** Visits made for them, sorted by startedAt. */
  visits: Visit[]
}

/** The 加装电梯 vote closed this many days before "now" (fewer when the demo has fewer months of
 *  visits: its visits are within them). */
export const VOTE_CLOSED_DAYS_AGO = 180

const dayOf = (ms: number) => Math.floor((ms + CST) / DAY)
const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10)
/** A working-hours moment (09:00–17:30 China time) on a China-local day. */
const daytime = (rng: Rng, day: number) => day * DAY - CST + rng.int(9 * 60, 17 * 60 + 30) * 60_000 + rng.int(0, 59) * 1000

export function makeCampaigns(o: CampaignOptions): DemoCampaigns {
  const { rng, now } = o
  let clock = now - 60 * DAY
  const nextId = () => uuidv7(clock++, o.idBytes)
  const templates: ChecklistTemplate[] = CAMPAIGN_TEMPLATE_DEFS.map((t) => ({ id: nextId(), ...t, items: t.items.map((i) => ({ ...i })) }))
  const [gas, elevator] = templates as [ChecklistTemplate, ChecklistTemplate]
  const residentsOf = new Map<string, Resident[]>()
  for (const r of o.residents) {
    const list = residentsOf.get(r.householdId) ?? []
    list.push(r)
    residentsOf.set(r.householdId, list)
  }
  const buildingById = new Map(o.buildings.map((b) => [b.id, b]))
  const campaigns: Campaign[] = []
  const targets: CampaignTarget[] = []
  const visits: Visit[] = []
  const today = dayOf(now)

  const visit = (h: Household, ms: number, outcome: Visit['outcome'], campaign: Campaign, extra: Partial<Visit> = {}): Visit => {
    const people = (residentsOf.get(h.id) ?? []).filter((r) => r.status === 'present')
    const met = outcome === 'met' || outcome === 'phone'
    const at = h.buildingId ? buildingById.get(h.buildingId)?.location : null
    const location: GeoPoint | null =
      outcome !== 'phone' && at ? { lat: Math.round((at.lat + rng.gauss() * 0.00008) * 1e6) / 1e6, lng: Math.round((at.lng + rng.gauss() * 0.0001) * 1e6) / 1e6, accuracy: rng.int(5, 30), source: 'gps' } : null
    const v: Visit = {
      id: uuidv7(ms, o.idBytes),
      householdId: h.id,
      gridId: h.gridId,
      workerId: o.workerOf.get(h.gridId) ?? o.secretaryId,
      startedAt: new Date(ms).toISOString(),
      outcome,
      residentIds: met && people[0] ? [people[0].id] : [],
      templateId: null,
      templateVersion: null,
      answers: {},
      notes: outcome === 'not_home' ? '敲门无人应答，已留联系卡' : outcome === 'refused' ? '住户不愿配合，已说明排查的必要性' : `${campaign.title}：已入户`,
      needs: '',
      followUpDate: null,
      location,
      photoIds: [],
      campaignId: campaign.id,
      ...extra,
    }
    visits.push(v)
    return v
  }

  // 燃气安全入户排查: the first four cells, launched three weeks ago, ten days to go; its visits
  // are a week old and more (the tests plant visits of their own in the days before "now").
  const gasCells = o.gridCells.slice(0, Math.min(4, o.gridCells.length))
  const gasLaunch = daytime(rng, today - 20)
  const gasCampaign: Campaign = {
    id: nextId(),
    title: '燃气安全入户排查',
    kind: 'inspection',
    description: '入冬前逐户检查燃气管道、阀门、软管和灶具，发放燃气安全告知书；发现隐患当场告知整改，并上报问题。',
    templateId: gas.id,
    templateVersion: gas.version,
    startDay: isoDay(today - 20),
    deadline: isoDay(today + 9),
    secondAttempt: true,
    vote: null,
    status: 'launched',
    targeting: { gridIds: gasCells.map((g) => g.id), compounds: [], buildingIds: [], units: [], tags: [], attention: [] },
    targetCount: 0,
    createdBy: o.secretaryId,
    createdAt: new Date(gasLaunch - 2 * DAY).toISOString(),
    launchedAt: new Date(gasLaunch).toISOString(),
    closedAt: null,
    results: null,
  }
  const gasHouseholds = o.households.filter((h) => gasCampaign.targeting.gridIds.includes(h.gridId))
  gasCampaign.targetCount = gasHouseholds.length
  campaigns.push(gasCampaign)
  for (const h of gasHouseholds) {
    targets.push({ id: uuidv7(gasLaunch, o.idBytes), campaignId: gasCampaign.id, householdId: h.id, gridId: h.gridId, addedAt: gasCampaign.launchedAt! })
    const empty = !(residentsOf.get(h.id) ?? []).some((r) => r.status === 'present') || h.housing === 'vacant'
    const plan = empty
      ? rng.weighted([['none', 60], ['not_home', 40]] as const)
      : rng.weighted([['done', 55], ['done_second', 6], ['not_home', 12], ['refused', 2], ['none', 25]] as const)
    if (plan === 'none') continue
    const first = daytime(rng, today - rng.int(9, 19))
    if (plan === 'refused') {
      visit(h, first, 'refused', gasCampaign)
      continue
    }
    if (plan === 'not_home' || plan === 'done_second') {
      visit(h, first, 'not_home', gasCampaign)
      if (plan === 'not_home') continue
    }
    const at = plan === 'done_second' ? Math.min(now - 3600_000, first + rng.int(1, 3) * DAY) : first
    visit(h, at, 'met', gasCampaign, { campaignAnswers: gasAnswers(rng), respondent: h.housing === 'rented' ? 'tenant' : rng.chance(0.8) ? 'owner' : 'family' })
  }

  // 加装电梯 vote: unit 1 of a walk-up in an old compound, closed half a year ago — the vote that
  // decided the demo's elevator (matters.ts), which has since been built and judged.
  const walkUp =
    o.buildings.find((b) => b.kind === 'residential' && b.floors <= 7 && b.units > 0 && o.households.filter((h) => h.buildingId === b.id && h.unit === '1').length >= 10) ??
    o.buildings.find((b) => b.kind === 'residential' && b.units > 0)
  if (walkUp) {
    const stairwell = o.households
      .filter((h) => h.buildingId === walkUp.id && h.unit === '1')
      .sort((a, b) => (a.floor ?? 0) - (b.floor ?? 0) || (a.room ?? '').localeCompare(b.room ?? ''))
    const room = o.visitsFrom === undefined ? VOTE_CLOSED_DAYS_AGO : today - dayOf(o.visitsFrom) - 26
    const closeDay = today - Math.max(20, Math.min(VOTE_CLOSED_DAYS_AGO, room))
    const launch = daytime(rng, closeDay - 25)
    const close = daytime(rng, closeDay)
    const vote: Campaign = {
      id: nextId(),
      title: `${walkUp.compound}${walkUp.number}1单元加装电梯表决`,
      kind: 'vote',
      description: '按民法典第二百七十八条，本单元业主共同决定是否加装电梯：请业主本人表态，费用按楼层分摊，另有政府补贴。',
      templateId: elevator.id,
      templateVersion: elevator.version,
      startDay: isoDay(closeDay - 25),
      deadline: isoDay(closeDay - 1),
      secondAttempt: true,
      vote: { rule: MAJOR_MATTER, scope: { kind: 'unit', buildingId: walkUp.id, unit: '1' } },
      status: 'closed',
      targeting: { gridIds: [], compounds: [], buildingIds: [], units: [{ buildingId: walkUp.id, unit: '1' }], tags: [], attention: [] },
      targetCount: stairwell.length,
      createdBy: o.secretaryId,
      createdAt: new Date(launch - 3 * DAY).toISOString(),
      launchedAt: new Date(launch).toISOString(),
      closedAt: new Date(close).toISOString(),
      results: null,
    }
    campaigns.push(vote)
    const n = stairwell.length
    const voteVisits: Visit[] = []
    stairwell.forEach((h, i) => {
      targets.push({ id: uuidv7(launch, o.idBytes), campaignId: vote.id, householdId: h.id, gridId: h.gridId, addedAt: vote.launchedAt! })
      const at = () => daytime(rng, closeDay - rng.int(4, 24))
      // Ground floor: one against, one agreeing on conditions (in a big enough stairwell); the
      // top flat never reached; everybody else for it.
      const stance: Answers['stance'] | null = i === 0 && n >= 8 ? 'oppose' : i === 1 && n >= 10 ? 'conditional' : i === n - 1 && n >= 6 ? null : 'agree'
      if (stance === null) {
        voteVisits.push(visit(h, at(), 'not_home', vote), visit(h, at(), 'not_home', vote))
        return
      }
      const answers: Answers = { stance, cost_share: stance === 'oppose' ? '不能接受' : stance === 'conditional' ? '还要商量' : '能接受', concerns: rng.pick(CONCERNS) }
      if (stance === 'conditional') answers.stance_note = '一楼采光受影响，希望给予适当补偿'
      if (!answers.concerns) delete answers.concerns
      // A rented flat: the tenant answers at the door (not counted), the owner later by phone.
      if (h.housing === 'rented') {
        const first = at()
        voteVisits.push(visit(h, first, 'met', vote, { campaignAnswers: answers, respondent: 'tenant' }))
        voteVisits.push(visit(h, first + rng.int(1, 2) * DAY, 'phone', vote, { campaignAnswers: answers, respondent: 'owner', location: null }))
        return
      }
      voteVisits.push(visit(h, at(), 'met', vote, { campaignAnswers: answers, respondent: 'owner' }))
    })
    // Frozen at close, by the same count the server makes.
    const figures = campaignFigures({
      at: vote.closedAt!,
      secondAttempt: vote.secondAttempt,
      vote: vote.vote,
      template: elevator,
      targets: stairwell.map((h) => ({ householdId: h.id, gridId: h.gridId, buildingId: h.buildingId, unit: h.unit, area: h.area ?? null })),
      visits: voteVisits.map((v): CampaignVisit => ({ ...v })),
      grids: new Map(o.gridCells.map((g) => [g.id, g])),
      buildings: new Map(o.buildings.map((b) => [b.id, b])),
    })
    vote.results = {
      at: figures.at,
      progress: figures.progress,
      answeredHouseholds: figures.answeredHouseholds,
      items: figures.items,
      hazardHouseholds: figures.hazardHouseholds,
      vote: figures.vote,
    }
  }

  visits.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { templates, campaigns, campaignTargets: targets, visits }
}

function gasAnswers(rng: Rng): Answers {
  const a: Answers = {
    pipe_ok: rng.chance(0.97),
    hose_ok: rng.chance(0.93),
    flame_guard: rng.weighted([['有', 86], ['没有', 5], ['不清楚', 9]] as const),
    ventilation: rng.chance(0.97),
    alarm: rng.chance(0.35),
    notice: rng.chance(0.97),
  }
  if (!a.pipe_ok || !a.hose_ok || a.flame_guard === '没有' || !a.ventilation) a.advice = rng.pick(ADVICE)
  return a
}
