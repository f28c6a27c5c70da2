// The demo's 三张清单 (docs/lists.md), so a newcomer sees what the community does with what the
// workers hear: needs drawn from the visits' 群众诉求 (and a few from the gas campaign's answers,
// the office and the service menu), grouped so that some stand out — 助餐 for the elderly of a
// few buildings of the old compound, 加装电梯 on the upper floors of walk-ups, 停车 in the new
// compound, 就业 in the factory quarters —; the jurisdiction's resources (驻区单位: a hospital, a
// school, a canteen, the street's labour office; the community's teams, those it already has as
// handling teams among them; volunteers who are residents, party members 亮明身份); a service menu
// with orders at the door (你点我来) within each offer's capacity; projects at every stage; and
// volunteers' hours with points by the default rule table. Own random streams: nothing generated
// before changes with them. Every state is one needFlow.ts allows.
import type { Building, Campaign, GridCell, Household, Need, NeedCategory, Offer, Project, Resident, Resource, ServiceRecord, Team, Urgency, Visit } from '../domain'
import { uuidv7 } from '../domain/ids'
import { offerPeriodOf, pointsFor } from '../domain/listRules'
import { DEFAULT_CASE_DEADLINES, DEFAULT_POINT_RULES } from '../domain/settingsDefaults'
import { responseHours } from '../domain/caseFlow'
import type { Rng } from './random'
import type { CompoundStyle } from './texts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const CST = 8 * HOUR

/** The visit notes' 群众诉求 (texts.ts NEEDS) as categories; a dispute is no need of the lists. */
export const NEED_TEXT_CATEGORY: Readonly<Record<string, NeedCategory | null>> = {
  希望加装电梯: 'elevator',
  '楼道灯坏了，希望维修': 'environment',
  咨询医保报销政策: 'medical',
  想申请老年助餐: 'meals',
  '下水道堵塞，希望物业处理': 'environment',
  孩子入学咨询: 'other',
  希望帮忙找工作: 'employment',
  咨询低保申请条件: 'other',
  小区停车难: 'parking',
  希望在卫生间安装扶手: 'elderly_care',
  屋顶漏雨: 'other',
  邻居装修噪音大: null,
}

/** Needs the office answers itself (a 咨询), met without a resource. */
const ANSWERED = new Set(['咨询医保报销政策', '孩子入学咨询', '咨询低保申请条件'])

export interface ListOptions {
  rng: Rng
  idBytes: (n: number) => Uint8Array
  now: number
  gridCells: readonly GridCell[]
  /** Each cell's compound style, in cell order. */
  styles: ReadonlyMap<string, CompoundStyle>
  buildings: readonly Building[]
  households: readonly Household[]
  residents: readonly Resident[]
  /** Every visit, campaign visits included, sorted by startedAt. */
  visits: readonly Visit[]
  teams: readonly Team[]
  campaigns: readonly Campaign[]
  secretaryId: string
  year: number
}

export interface DemoLists {
  needs: Need[]
  resources: Resource[]
  projects: Project[]
  serviceRecords: ServiceRecord[]
}

const dayOf = (ms: number) => Math.floor((ms + CST) / DAY)
const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10)
const iso = (ms: number) => new Date(ms).toISOString()

export function makeLists(o: ListOptions): DemoLists {
  const { rng, now } = o
  let clock = now - 400 * DAY
  const nextId = (ms = clock++) => uuidv7(ms, o.idBytes)
  const householdById = new Map(o.households.map((h) => [h.id, h]))
  const residentsOf = new Map<string, Resident[]>()
  for (const r of o.residents) {
    const list = residentsOf.get(r.householdId) ?? []
    list.push(r)
    residentsOf.set(r.householdId, list)
  }
  const present = (hid: string) => (residentsOf.get(hid) ?? []).filter((r) => r.status === 'present')
  const elderly = (h: Household) =>
    h.tags.some((t) => t === 'elderly_alone' || t === 'empty_nest' || t === 'aged_80') || present(h.id).some((r) => o.year - r.birthYear >= 68)
  /** Each household's latest visit that reached somebody, in the last `days`. */
  const latestMet = (days: number) => {
    const out = new Map<string, Visit>()
    const since = now - days * DAY
    for (const v of o.visits) if ((v.outcome === 'met' || v.outcome === 'phone') && Date.parse(v.startedAt) >= since && Date.parse(v.startedAt) < now) out.set(v.householdId, v)
    return out
  }
  const recentVisit = latestMet(75)

  // ---- resources ----
  const resources: Resource[] = []
  const created = now - 300 * DAY
  const offer = (category: NeedCategory, title: string, schedule: string, capacity: number | null, period: Offer['period'], onMenu: boolean, description = ''): Offer => ({
    id: nextId(created),
    category,
    title,
    description,
    capacity,
    period: capacity === null ? null : period,
    schedule,
    onMenu,
  })
  const resource = (r: Omit<Resource, 'id' | 'active' | 'createdBy' | 'createdAt' | 'updatedAt' | 'unitType' | 'teamId' | 'volunteer' | 'description' | 'contactPhone'> & Partial<Resource>): Resource => {
    const rec: Resource = {
      id: nextId(created),
      unitType: null,
      teamId: null,
      volunteer: null,
      description: '',
      contactPhone: null,
      active: true,
      createdBy: o.secretaryId,
      createdAt: iso(created),
      updatedAt: iso(created),
      ...r,
    }
    resources.push(rec)
    return rec
  }
  const phone = () => `0538-${rng.int(6000000, 8999999)}`
  resource({
    kind: 'unit',
    name: '泰山区中心医院',
    unitType: 'hospital',
    contactName: '孙主任',
    contactPhone: phone(),
    description: '驻区医院，与社区签约家庭医生服务',
    offers: [offer('medical', '社区义诊', '每月第二个周六上午', 20, 'month', true, '量血压、测血糖、用药咨询'), offer('medical', '上门随访', '工作日下午', 8, 'month', true, '行动不便的老人')],
  })
  const school = resource({
    kind: 'unit',
    name: '泰山区实验小学',
    unitType: 'school',
    contactName: '周老师',
    contactPhone: phone(),
    description: '驻区学校，假期开放场地',
    offers: [offer('childcare', '暑期爱心托管', '暑假工作日', null, null, false), offer('parking', '夜间错时停车', '每天18:00—次日7:30', null, null, false, '学校操场边停车场夜间向居民开放')],
  })
  resource({
    kind: 'unit',
    name: '幸福里长者食堂',
    unitType: 'company',
    contactName: '吴经理',
    contactPhone: phone(),
    offers: [offer('meals', '老年助餐', '每天11:00—12:30', 30, 'week', true, '60岁以上老人优惠，可送餐上门')],
  })
  const labour = resource({
    kind: 'unit',
    name: '街道劳动保障所',
    unitType: 'government',
    contactName: '郑科长',
    contactPhone: phone(),
    offers: [offer('employment', '就业岗位推荐', '工作日', null, null, true, '公益岗位、招聘信息、技能培训报名')],
  })
  const works = resource({
    kind: 'unit',
    name: '街道城建办',
    unitType: 'government',
    contactName: '冯主任',
    contactPhone: phone(),
    offers: [offer('elevator', '加装电梯政策指导', '工作日', null, null, false, '补贴申请、设计审批、业主协商指导')],
  })
  const teamByName = new Map(o.teams.map((t) => [t.name, t]))
  const teamResource = (name: string, teamName: string | null, contactName: string, offers: Offer[], description = '') =>
    resource({ kind: 'team', name, teamId: teamName ? (teamByName.get(teamName)?.id ?? null) : null, contactName, contactPhone: phone(), offers, description })
  teamResource('律师会客厅', '律师会客厅', '刘律师', [offer('legal', '法律咨询', '每周五下午', 12, 'week', true, '12名志愿律师轮值')], '公益律师每周五坐班')
  teamResource('调解室', '调解室', '王大姐', [offer('other', '邻里矛盾调解', '工作日', null, null, false)])
  const volunteerTeam = teamResource('志愿服务队', '志愿服务队', '李队长', [offer('elderly_care', '陪伴探访', '每周末', null, null, true, '独居老人上门陪伴')])
  const property = teamResource('物业公司', '物业公司', '赵经理', [offer('environment', '公共设施报修', '每天', null, null, true, '楼道灯、下水道、门禁')])
  teamResource('桂兰聊天室', null, '桂兰', [offer('counseling', '聊天解闷', '每周二、周四下午', null, null, true, '独居老人聊天室')], '为独居老人开设的聊天室')
  teamResource('阳光大姐心理咨询室', null, '阳光大姐', [offer('counseling', '心理疏导', '每周三下午', 5, 'week', true)])
  teamResource('德海安全队', null, '张德海', [offer('other', '安全巡查', '每晚', null, null, false)], '退休民警带队的治安巡逻队')
  resource({ kind: 'team', name: '夕阳红艺术团', contactName: '钱团长', contactPhone: phone(), offers: [offer('culture', '文艺演出', '节假日', null, null, false)] })

  // Volunteers: residents of working age or young retirees, party members first.
  const candidates = o.residents
    .filter((r) => r.status === 'present' && r.phone && o.year - r.birthYear >= 25 && o.year - r.birthYear <= 68)
    .sort((a, b) => Number(b.political === 'party') - Number(a.political === 'party') || (a.id < b.id ? -1 : 1))
  const skills: readonly { skills: string[]; offer?: () => Offer; availability: string }[] = [
    { skills: ['理发'], offer: () => offer('elderly_care', '上门理发', '每月第一个周三上午', 10, 'month', true), availability: '每月第一个周三上午' },
    { skills: ['家电维修'], offer: () => offer('other', '家电小修', '周末', null, null, true), availability: '周末' },
    { skills: ['送餐', '陪聊'], offer: () => offer('meals', '送餐上门', '工作日中午', 15, 'week', true), availability: '工作日中午' },
    { skills: ['辅导功课'], availability: '周末和假期' },
    { skills: ['陪聊', '读报'], availability: '周二、周四下午' },
    { skills: ['书法', '剪纸'], availability: '节假日' },
    { skills: ['修自行车'], availability: '周六上午' },
    { skills: ['法律咨询'], availability: '每周五下午' },
  ]
  const picked = rng.shuffle(candidates.slice(0, Math.max(20, skills.length * 3))).slice(0, Math.min(skills.length, candidates.length))
  const volunteers = picked.map((r, i) => {
    const s = skills[i]!
    const party = r.political === 'party'
    return resource({
      kind: 'volunteer',
      name: r.name,
      contactName: r.name,
      contactPhone: r.phone,
      offers: s.offer ? [s.offer()] : [],
      volunteer: {
        residentId: r.id,
        skills: s.skills,
        availability: s.availability,
        partyMember: party,
        branch: party ? (rng.chance(0.5) ? '幸福里社区第一党支部' : '泰山区教育局机关党支部（在职党员报到）') : null,
        // Two of them would rather not be named on a points list.
        pointsConsent: i !== 3 && i !== 6,
      },
    })
  })

  const byCategory = (c: NeedCategory): Resource | null => {
    const fits = resources.filter((r) => r.offers.some((x) => x.category === c))
    return fits.length ? rng.pick(fits) : null
  }

  // ---- needs ----
  const needs: Need[] = []
  const need = (h: Household, category: NeedCategory, description: string, source: Need['source'], raisedBy: string, raisedAt: number, urgency: Urgency = 'blue'): Need => {
    const n: Need = {
      id: nextId(raisedAt),
      gridId: h.gridId,
      householdIds: [h.id],
      category,
      description,
      urgency,
      source,
      raisedBy,
      raisedAt: iso(raisedAt),
      status: 'open',
      resourceId: null,
      projectId: null,
      matchedAt: null,
      metAt: null,
      closedAt: null,
      closeReason: null,
      metNote: null,
      dueAt: null,
      updatedAt: iso(raisedAt),
    }
    needs.push(n)
    return n
  }
  /** Some hours after `from`, never after now (nor before `from`). */
  const later = (from: number, minH: number, maxH: number) => Math.max(from, Math.min(now - HOUR, from + rng.int(minH, maxH) * HOUR))
  /** Moves a need along the way the office would, as its age allows. */
  const settle = (n: Need, answered: boolean) => {
    const raised = Date.parse(n.raisedAt)
    const age = (now - raised) / DAY
    // A 咨询 is answered within days; the rest waits for a resource, most of it dealt with by now.
    const plan = answered
      ? age > 3 || rng.chance(0.5)
        ? 'met'
        : 'open'
      : age > 45
        ? rng.weighted([['met', 78], ['closed', 8], ['matched', 11], ['open', 3]] as const)
        : age > 12
          ? rng.weighted([['met', 35], ['closed', 5], ['matched', 45], ['open', 15]] as const)
          : rng.weighted([['matched', 35], ['open', 65]] as const)
    if (plan === 'open') return
    if (plan === 'closed') {
      const at = later(raised, 24, 20 * 24)
      Object.assign(n, { status: 'closed', closedAt: iso(at), closeReason: rng.pick(['住户已搬走', '住户表示不再需要', '超出社区能解决的范围，已告知去向']), updatedAt: iso(at) })
      return
    }
    if (answered && plan === 'met') {
      const at = later(raised, 4, 72)
      Object.assign(n, { status: 'met', metAt: iso(at), metNote: '已当面解答政策', updatedAt: iso(at) })
      return
    }
    const r = byCategory(n.category)
    if (!r) return
    const matched = later(raised, 4, 8 * 24)
    Object.assign(n, { status: 'matched', resourceId: r.id, matchedAt: iso(matched), dueAt: iso(matched + DEFAULT_CASE_DEADLINES.defaultHandlingDays * DAY), updatedAt: iso(matched) })
    if (plan === 'met' && matched < now - 2 * DAY) {
      const met = later(matched, 12, 20 * 24)
      Object.assign(n, { status: 'met', metAt: iso(met), metNote: `${r.name}已上门`, updatedAt: iso(met) })
    }
  }

  // What the workers heard on their visits of the last four months.
  const since = now - 120 * DAY
  for (const v of o.visits) {
    const t = Date.parse(v.startedAt)
    if (!v.needs || t < since || t >= now) continue
    const category = NEED_TEXT_CATEGORY[v.needs]
    const h = householdById.get(v.householdId)
    if (!category || !h) continue
    const n = need(h, category, v.needs, { kind: 'visit', visitId: v.id }, v.workerId, t + rng.int(1, 20) * 60_000, category === 'elderly_care' || category === 'medical' ? 'yellow' : 'blue')
    settle(n, ANSWERED.has(v.needs))
  }

  // Clusters heard on recent visits: they are what the summary puts first.
  const cellsOf = (style: CompoundStyle) => o.gridCells.filter((g) => o.styles.get(g.id) === style)
  const buildingsOf = (gridId: string) =>
    o.buildings.filter((b) => b.gridId === gridId && b.kind === 'residential').sort((a, b) => a.number.localeCompare(b.number, 'zh-CN', { numeric: true }))
  const fromVisit = (h: Household, category: NeedCategory, texts: readonly string[], urgency: Urgency, max: number, into: Need[]) => {
    const v = recentVisit.get(h.id)
    if (!v || into.length >= max) return
    into.push(need(h, category, rng.pick(texts), { kind: 'visit', visitId: v.id }, v.workerId, Date.parse(v.startedAt) + rng.int(2, 25) * 60_000, urgency))
  }
  // 助餐: the elderly of 2–4号楼 of the old compound, all still waiting (the project to make).
  const meals: Need[] = []
  const oldCell = cellsOf('old')[0]
  if (oldCell) {
    const bs = buildingsOf(oldCell.id)
    const chosen = new Set((bs.length > 3 ? bs.slice(1, 4) : bs).map((b) => b.id))
    for (const h of o.households) if (h.buildingId && chosen.has(h.buildingId) && elderly(h)) fromVisit(h, 'meals', ['想申请老年助餐，自己做饭不方便', '老两口做饭吃力，希望附近有助餐点', '希望社区能送餐上门'], 'blue', 23, meals)
  }
  // 加装电梯: upper floors of the walk-ups of the old compounds, for the project being planned.
  const elevator: Need[] = []
  for (const cell of [...cellsOf('old'), ...cellsOf('factory')].slice(0, 3))
    for (const h of o.households) if (h.gridId === cell.id && (h.floor ?? 0) >= 4 && elderly(h) && rng.chance(0.5)) fromVisit(h, 'elevator', ['住得高，腿脚不好，希望加装电梯', '老人下楼困难，盼着装电梯'], 'blue', 12, elevator)
  // 停车: the new compound, served by the project under way.
  const parking: Need[] = []
  const newCell = cellsOf('new')[0]
  if (newCell) for (const h of o.households) if (h.gridId === newCell.id && h.housing === 'owner' && rng.chance(0.15)) fromVisit(h, 'parking', ['晚上回来没有车位', '小区车位太少，希望错时停车'], 'blue', 10, parking)
  // 就业: the laid-off workers of the factory quarters, matched to the labour office.
  const factoryCell = cellsOf('factory')[0]
  if (factoryCell)
    for (const h of o.households)
      if (h.gridId === factoryCell.id && h.tags.includes('unemployed') && rng.chance(0.5)) {
        const jobs: Need[] = []
        fromVisit(h, 'employment', ['下岗多年，想找个公益岗位', '希望参加技能培训再就业'], 'blue', 1, jobs)
        for (const n of jobs) {
          const at = later(Date.parse(n.raisedAt), 24, 6 * 24)
          Object.assign(n, { status: 'matched', resourceId: labour.id, matchedAt: iso(at), dueAt: iso(at + 7 * DAY), updatedAt: iso(at) })
        }
      }

  // From the gas campaign's answers: old people who cannot replace a perished hose themselves.
  const gas = o.campaigns.find((c) => c.kind === 'inspection' && c.status === 'launched')
  if (gas) {
    const perished = o.visits.filter((v) => v.campaignId === gas.id && v.outcome === 'met' && v.campaignAnswers?.hose_ok === false && elderly(householdById.get(v.householdId)!))
    for (const v of perished.slice(0, 6)) {
      const h = householdById.get(v.householdId)!
      const n = need(h, 'elderly_care', '燃气软管老化，老人自己换不了，希望志愿者帮忙更换', { kind: 'campaign', campaignId: gas.id, visitId: v.id }, v.workerId, Date.parse(v.startedAt) + 10 * 60_000, 'yellow')
      const at = later(Date.parse(n.raisedAt), 2, 48)
      Object.assign(n, { status: 'matched', resourceId: volunteerTeam.id, matchedAt: iso(at), dueAt: iso(at + 3 * DAY), updatedAt: iso(at) })
    }
  }

  // Raised by the office at a 居民议事会.
  const meeting = now - 20 * DAY
  for (const h of rng.shuffle(o.households.filter((x) => present(x.id).length > 0)).slice(0, 3))
    need(h, 'culture', '居民议事会上提出：希望小区增加健身器材和老年活动场地', { kind: 'office' }, o.secretaryId, meeting + rng.int(0, 120) * 60_000)

  // 你点我来: orders at the door on recent visits of elderly households, within each offer's
  // capacity for its week or month, matched at once; the older ones served.
  const menu = resources.flatMap((r) => r.offers.filter((x) => x.onMenu).map((x) => ({ r, x })))
  const used = new Map<string, number>()
  const orderable = [...recentVisit.values()].filter((v) => v.outcome === 'met' && Date.parse(v.startedAt) > now - 60 * DAY).filter((v) => {
    const h = householdById.get(v.householdId)
    return h && elderly(h)
  })
  for (const v of rng.shuffle(orderable).slice(0, 30)) {
    const h = householdById.get(v.householdId)!
    const { r, x } = rng.pick(menu)
    const at = Date.parse(v.startedAt) + rng.int(5, 30) * 60_000
    if (x.capacity !== null && x.period !== null) {
      const key = `${x.id}|${offerPeriodOf(at, x.period).start}`
      if ((used.get(key) ?? 0) >= x.capacity) continue
      used.set(key, (used.get(key) ?? 0) + 1)
    }
    const urgency: Urgency = rng.chance(0.2) ? 'yellow' : 'blue'
    const n = need(h, x.category, `点单：${x.title}`, { kind: 'order', offerId: x.id, visitId: v.id }, v.workerId, at, urgency)
    const due = at + responseHours('need', urgency, DEFAULT_CASE_DEADLINES) * HOUR
    Object.assign(n, { status: 'matched', resourceId: r.id, matchedAt: iso(at), dueAt: iso(due), updatedAt: iso(at) })
    if (at < now - 5 * DAY) {
      const met = later(at, 6, 96)
      Object.assign(n, { status: 'met', metAt: iso(met), metNote: `${r.name}已上门服务`, updatedAt: iso(met) })
    }
  }

  // ---- projects, one at every stage ----
  const projects: Project[] = []
  const project = (p: Pick<Project, 'title' | 'category' | 'leadName' | 'description' | 'resourceIds' | 'status'> & Partial<Project>, members: Need[], createdAt: number): Project | null => {
    if (!members.length) return null
    const rec: Project = {
      id: nextId(createdAt),
      needIds: members.map((n) => n.id),
      startDay: isoDay(dayOf(createdAt) + 3),
      endDay: null,
      summary: '',
      photoIds: [],
      householdsServed: null,
      evaluation: '',
      createdBy: o.secretaryId,
      createdAt: iso(createdAt),
      startedAt: null,
      doneAt: null,
      evaluatedAt: null,
      updatedAt: iso(createdAt),
      ...p,
    }
    projects.push(rec)
    for (const n of members) {
      n.projectId = rec.id
      if (n.status === 'open') Object.assign(n, { status: 'matched', resourceId: rec.resourceIds[0] ?? null, matchedAt: iso(Math.max(createdAt, Date.parse(n.raisedAt))) })
      n.updatedAt = iso(Math.max(Date.parse(n.updatedAt), createdAt))
    }
    return rec
  }
  const lastRaised = (ns: readonly Need[]) => Math.max(...ns.map((n) => Date.parse(n.raisedAt)))
  // 策划: the elevator.
  if (elevator.length) project({ title: '老旧小区加装电梯意见征询', category: 'elevator', leadName: '社区书记', description: '摸清高层住户意愿，逐栋开协调会，申请加装电梯补贴', resourceIds: [works.id], status: 'planning' }, elevator, Math.min(now - HOUR, lastRaised(elevator) + DAY))
  // 实施: shared parking at the school.
  if (parking.length) {
    const at = Math.min(now - 2 * DAY, lastRaised(parking) + DAY)
    project(
      { title: '幸福里小区错时共享停车', category: 'parking', leadName: '周老师', description: '实验小学停车场夜间向居民开放，物业登记车辆', resourceIds: [school.id, property.id], status: 'doing', startedAt: iso(at + DAY), endDay: isoDay(dayOf(now) + 60) },
      parking,
      at,
    )
  }
  // 完成 and 评价: from needs heard and met long ago.
  const older = (c: NeedCategory) => needs.filter((n) => n.category === c && n.source.kind === 'visit' && n.status === 'matched' && n.projectId === null && Date.parse(n.raisedAt) < now - 30 * DAY)
  const done = (p: Project | null, doneAt: number) => {
    if (!p) return
    Object.assign(p, { doneAt: iso(doneAt), updatedAt: iso(doneAt) })
    p.householdsServed ??= new Set(p.needIds.flatMap((id) => needs.find((n) => n.id === id)!.householdIds)).size
    for (const id of p.needIds) {
      const n = needs.find((x) => x.id === id)!
      if (n.status === 'matched' || n.status === 'open') Object.assign(n, { status: 'met', metAt: iso(doneAt), metNote: `项目「${p.title}」完成`, updatedAt: iso(doneAt) })
    }
  }
  const lights = older('environment').slice(0, 8)
  if (lights.length) {
    const at = lastRaised(lights) + DAY
    const doneAt = Math.min(now - DAY, at + 10 * DAY)
    done(
      project({ title: '楼道灯和下水道集中维修', category: 'environment', leadName: '赵经理', description: '物业集中维修居民反映的楼道灯和下水道', resourceIds: [property.id], status: 'done', startedAt: iso(at + DAY), summary: '更换楼道灯42盏，疏通下水道6处', endDay: isoDay(dayOf(doneAt)) }, lights, at),
      doneAt,
    )
  }
  // Childcare last summer: 评价.
  const kids = o.households.filter((h) => present(h.id).some((r) => o.year - r.birthYear >= 6 && o.year - r.birthYear <= 12)).slice(0, 12)
  const summer = Date.UTC(o.year, 6, 1, 2)
  if (kids.length && summer < now - 30 * DAY) {
    const care = kids.map((h) => {
      const n = need(h, 'childcare', '暑假双职工家庭孩子没人看', { kind: 'office' }, o.secretaryId, summer - rng.int(10, 30) * DAY)
      return n
    })
    const volunteerIds = volunteers.filter((v) => v.volunteer!.skills.includes('辅导功课')).map((v) => v.id)
    const p = project(
      {
        title: '暑期爱心托管班',
        category: 'childcare',
        leadName: '周老师',
        description: '双职工家庭孩子暑期托管：作业辅导、手工、阅读',
        resourceIds: [school.id, ...volunteerIds],
        status: 'evaluated',
        startedAt: iso(summer),
        startDay: isoDay(dayOf(summer)),
        endDay: isoDay(dayOf(summer) + 40),
        summary: '开班6周，每天30多个孩子，志愿者辅导功课',
        householdsServed: 36,
      },
      care,
      summer - 7 * DAY,
    )
    done(p, summer + 40 * DAY)
    if (p) Object.assign(p, { evaluation: '家长满意度调查：满意34户、基本满意2户；希望寒假继续办', evaluatedAt: iso(summer + 50 * DAY), updatedAt: iso(summer + 50 * DAY) })
  }

  // ---- volunteers' hours ----
  const serviceRecords: ServiceRecord[] = []
  const doneProjects = projects.filter((p) => p.status !== 'planning')
  for (const v of volunteers) {
    const mine = needs.filter((n) => n.resourceId === v.id)
    const count = rng.int(3, 8)
    for (let k = 0; k < count; k++) {
      const onNeed = mine.length > 0 && rng.chance(0.6)
      const target = onNeed ? rng.pick(mine) : doneProjects.length ? rng.pick(doneProjects) : null
      if (!target) continue
      // A day the volunteer could have served it: while the need was matched, while the project ran.
      const [fromAt, toAt] =
        'matchedAt' in target ? [target.matchedAt!, target.metAt ?? iso(now)] : [target.startedAt ?? target.createdAt, target.doneAt ?? iso(now)]
      const first = Math.max(dayOf(Date.parse(fromAt)), dayOf(now) - 90)
      const last = Math.min(dayOf(Date.parse(toAt)), dayOf(now) - 1)
      if (first > last) continue
      const day = rng.int(first, last)
      const recordedAt = Math.min(now - HOUR, (day + 1) * DAY - CST + 10 * HOUR)
      const hours = rng.int(2, 8) / 2
      const category = target.category
      const rec: ServiceRecord = {
        id: nextId(recordedAt),
        resourceId: v.id,
        projectId: onNeed ? null : target.id,
        needId: onNeed ? target.id : null,
        day: isoDay(day),
        hours,
        note: onNeed ? '上门服务' : '参加项目活动',
        category,
        status: 'recorded',
        recordedBy: o.secretaryId,
        recordedAt: iso(recordedAt),
        confirmedBy: null,
        confirmedAt: null,
        points: null,
        pointsPerHour: null,
        rejectReason: null,
      }
      // Confirmed within the week; the last few days still waiting; now and then one not confirmed.
      if (recordedAt < now - 7 * DAY) {
        if (rng.chance(0.05)) Object.assign(rec, { status: 'rejected', rejectReason: '当天活动改期，未到岗' })
        else Object.assign(rec, { status: 'confirmed', confirmedBy: o.secretaryId, confirmedAt: iso(recordedAt + rng.int(1, 5) * DAY), ...pointsFor(DEFAULT_POINT_RULES, category, hours) })
      }
      serviceRecords.push(rec)
    }
  }
  serviceRecords.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : 1))
  needs.sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || (a.id < b.id ? -1 : 1))
  return { needs, resources, projects, serviceRecords }
}
