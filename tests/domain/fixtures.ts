// Small, hand-written valid records. Each test changes one field and checks what the schema says.
import type { Building, Campaign, CampaignTarget, Case, CaseReport, CaseStep, CaseTransition, ChecklistTemplate, Comment, GridCell, Household, LedgerEntry, Matter, MatterStep, Meeting, Mutation, Need, Notice, Offer, Project, Resident, Resource, ServiceRecord, Team, User, Visit } from '../../src/domain'

export const ids = {
  grid: '0190a000-0000-7000-8000-000000000001',
  building: '0190a000-0000-7000-8000-000000000002',
  household: '0190a000-0000-7000-8000-000000000003',
  resident: '0190a000-0000-7000-8000-000000000004',
  template: '0190a000-0000-7000-8000-000000000005',
  visit: '0190a000-0000-7000-8000-000000000006',
  worker: '0190a000-0000-7000-8000-000000000007',
  mutation: '0190a000-0000-7000-8000-000000000008',
  device: '0190a000-0000-7000-8000-000000000009',
  case: '0190a000-0000-7000-8000-00000000000a',
  step: '0190a000-0000-7000-8000-00000000000b',
  team: '0190a000-0000-7000-8000-00000000000c',
  comment: '0190a000-0000-7000-8000-00000000000d',
  campaign: '0190a000-0000-7000-8000-00000000000e',
  target: '0190a000-0000-7000-8000-00000000000f',
  need: '0190a000-0000-7000-8000-000000000010',
  resource: '0190a000-0000-7000-8000-000000000011',
  offer: '0190a000-0000-7000-8000-000000000012',
  project: '0190a000-0000-7000-8000-000000000013',
  serviceRecord: '0190a000-0000-7000-8000-000000000014',
  matter: '0190a000-0000-7000-8000-000000000015',
  matterStep: '0190a000-0000-7000-8000-000000000016',
  meeting: '0190a000-0000-7000-8000-000000000017',
  ledgerEntry: '0190a000-0000-7000-8000-000000000018',
  notice: '0190a000-0000-7000-8000-000000000019',
}

/** A photo id: the SHA-256 of its bytes, 64 lower-case hex characters. */
export const photoId = (n = 1) => n.toString(16).padStart(64, 'a')

export function validGridCell(over: Partial<GridCell> = {}): GridCell {
  const ring: [number, number][] = [
    [117.1, 36.1],
    [117.2, 36.1],
    [117.2, 36.2],
    [117.1, 36.1],
  ]
  return { id: ids.grid, code: 'G01', name: '幸福里第一网格', polygon: { type: 'Polygon', coordinates: [ring] }, ...over }
}

export function validBuilding(over: Partial<Building> = {}): Building {
  return {
    id: ids.building,
    gridId: ids.grid,
    compound: '幸福里小区',
    number: '3号楼',
    kind: 'residential',
    units: 2,
    floors: 6,
    location: { lat: 36.15, lng: 117.15, accuracy: null, source: 'register' },
    ...over,
  }
}

export function validHousehold(over: Partial<Household> = {}): Household {
  return {
    id: ids.household,
    gridId: ids.grid,
    buildingId: ids.building,
    unit: '1',
    floor: 5,
    room: '502',
    address: '幸福里小区3号楼1单元502',
    housing: 'owner',
    residency: 'consistent',
    phone: '13812341234',
    tags: ['dibao'],
    attention: 'key',
    headName: '王建国',
    searchKey: '王建国 wangjianguo wjg',
    notes: '',
    ...over,
  }
}

export function validResident(over: Partial<Resident> = {}): Resident {
  return {
    id: ids.resident,
    householdId: ids.household,
    gridId: ids.grid,
    name: '王建国',
    sex: 'M',
    birthYear: 1950,
    relation: 'head',
    phone: null,
    idMasked: '370902********1234',
    political: 'masses',
    tags: [],
    status: 'present',
    statusDate: null,
    movedTo: null,
    ...over,
  }
}

export function validTemplate(over: Partial<ChecklistTemplate> = {}): ChecklistTemplate {
  return {
    id: ids.template,
    code: 'routine',
    name: '日常走访',
    version: 1,
    items: [
      { id: 'safe', label: '居住安全', kind: 'yesno', required: true },
      { id: 'health', label: '身体状况', kind: 'choice', options: ['好', '一般', '差'], required: true },
      { id: 'people', label: '在住人数', kind: 'number', min: 0, max: 20, required: false },
      { id: 'other', label: '其他情况', kind: 'text', required: false },
    ],
    ...over,
  }
}

export function validVisit(over: Partial<Visit> = {}): Visit {
  return {
    id: ids.visit,
    householdId: ids.household,
    gridId: ids.grid,
    workerId: ids.worker,
    startedAt: '2026-11-21T08:30:00.000Z',
    outcome: 'met',
    residentIds: [ids.resident],
    templateId: ids.template,
    templateVersion: 1,
    answers: { safe: true, health: '好' },
    notes: '老人身体还行',
    needs: '',
    followUpDate: null,
    location: null,
    photoIds: [],
    ...over,
  }
}

export function validCaseReport(over: Partial<CaseReport> = {}): CaseReport {
  return {
    id: ids.case,
    kind: 'hazard',
    category: 'fire',
    title: '楼道里电动车充电',
    description: '3号楼1单元一楼楼道有两辆电动车在充电',
    gridId: ids.grid,
    householdIds: [ids.household],
    residentIds: [],
    location: null,
    place: '3号楼1单元楼道',
    urgency: 'yellow',
    photoIds: [photoId()],
    visitId: ids.visit,
    reporterId: ids.worker,
    reportedAt: '2026-11-21T08:40:00.000Z',
    ...over,
  }
}

export function validCase(over: Partial<Case> = {}): Case {
  return { ...validCaseReport(), state: 'reported', handlerTeamId: null, deadline: null, updatedAt: '2026-11-21T08:40:00.000Z', ...over }
}

export function validCaseStep(over: Partial<CaseStep> = {}): CaseStep {
  return {
    id: ids.step,
    caseId: ids.case,
    gridId: ids.grid,
    action: 'assign',
    from: 'accepted',
    to: 'assigned',
    actorId: ids.worker,
    actorName: '刘书记',
    at: '2026-11-21T09:00:00.000Z',
    note: '请物业当天处理',
    handlerTeamId: ids.team,
    deadline: '2026-11-28T09:00:00.000Z',
    visitId: null,
    photoIds: [],
    ...over,
  }
}

export function validTransition(over: Partial<CaseTransition> = {}): CaseTransition {
  return { stepId: ids.step, action: 'accept', note: '', handlerTeamId: null, deadline: null, visitId: null, photoIds: [], at: '2026-11-21T09:00:00.000Z', ...over }
}

export function validTeam(over: Partial<Team> = {}): Team {
  return { id: ids.team, name: '物业公司', kind: 'property', active: true, ...over }
}

export function validComment(over: Partial<Comment> = {}): Comment {
  return { id: ids.comment, visitId: ids.visit, gridId: ids.grid, authorId: ids.worker, authorName: '刘书记', text: '记录很细，下周再去看看', at: '2026-11-21T12:00:00.000Z', ...over }
}

export function validUser(over: Partial<User> = {}): User {
  return { id: ids.worker, username: 'grid01', name: '李网格', role: 'worker', gridIds: [ids.grid], sensitiveTags: false, ...over }
}

export function validMutation(over: Partial<Mutation> = {}): Mutation {
  return {
    mutationId: ids.mutation,
    entity: 'visit',
    id: ids.visit,
    op: 'create',
    data: validVisit() as unknown as Record<string, unknown>,
    at: '2026-11-21T08:31:00.000+08:00',
    ...over,
  }
}

/** The messages of a failed parse, for `toContain` assertions. */
export function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  if (result.success) return []
  return result.error!.issues.map((i) => i.message)
}

export function validCampaign(over: Partial<Campaign> = {}): Campaign {
  return {
    id: ids.campaign,
    title: '燃气安全入户排查',
    kind: 'inspection',
    description: '',
    templateId: ids.template,
    templateVersion: 1,
    startDay: '2026-11-20',
    deadline: '2026-11-30',
    secondAttempt: true,
    vote: null,
    status: 'launched',
    targeting: { gridIds: [ids.grid], compounds: [], buildingIds: [], units: [], tags: [], attention: [] },
    targetCount: 1,
    createdBy: ids.worker,
    createdAt: '2026-11-19T08:00:00.000Z',
    launchedAt: '2026-11-20T01:00:00.000Z',
    closedAt: null,
    results: null,
    ...over,
  }
}

export function validCampaignTarget(over: Partial<CampaignTarget> = {}): CampaignTarget {
  return { id: ids.target, campaignId: ids.campaign, householdId: ids.household, gridId: ids.grid, addedAt: '2026-11-20T01:00:00.000Z', ...over }
}

/** 想申请老年助餐, heard on a visit, still 待对接. */
export function validNeed(over: Partial<Need> = {}): Need {
  return {
    id: ids.need,
    gridId: ids.grid,
    householdIds: [ids.household],
    category: 'meals',
    description: '想申请老年助餐',
    urgency: 'blue',
    source: { kind: 'visit', visitId: ids.visit },
    raisedBy: ids.worker,
    raisedAt: '2026-11-20T02:00:00.000Z',
    status: 'open',
    resourceId: null,
    projectId: null,
    matchedAt: null,
    metAt: null,
    closedAt: null,
    closeReason: null,
    metNote: null,
    dueAt: null,
    updatedAt: '2026-11-20T02:00:00.000Z',
    ...over,
  }
}

export function validOffer(over: Partial<Offer> = {}): Offer {
  return { id: ids.offer, category: 'meals', title: '老年助餐', description: '', capacity: 20, period: 'month', schedule: '每天中午', onMenu: true, ...over }
}

export function validResource(over: Partial<Resource> = {}): Resource {
  return {
    id: ids.resource,
    kind: 'unit',
    name: '幸福里长者食堂',
    unitType: 'company',
    teamId: null,
    contactName: '吴经理',
    contactPhone: '0538-6123456',
    description: '',
    offers: [validOffer()],
    volunteer: null,
    active: true,
    createdBy: ids.worker,
    createdAt: '2026-11-01T02:00:00.000Z',
    updatedAt: '2026-11-01T02:00:00.000Z',
    ...over,
  }
}

/** A volunteer who is a resident, a party member, and agreed to be named on a points list. */
export function validVolunteer(over: Partial<Resource> = {}): Resource {
  return validResource({
    kind: 'volunteer',
    name: '王建华',
    unitType: null,
    contactName: '王建华',
    contactPhone: '13812345678',
    offers: [validOffer({ category: 'elderly_care', title: '上门理发', capacity: 10 })],
    volunteer: { residentId: ids.resident, skills: ['理发'], availability: '每月第一个周三上午', partyMember: true, branch: '第一党支部', pointsConsent: true },
    ...over,
  })
}

export function validProject(over: Partial<Project> = {}): Project {
  return {
    id: ids.project,
    title: '教师新村老年助餐点',
    category: 'meals',
    leadName: '社区书记',
    description: '',
    needIds: [ids.need],
    resourceIds: [ids.resource],
    startDay: '2026-11-21',
    endDay: null,
    status: 'planning',
    summary: '',
    photoIds: [],
    householdsServed: null,
    evaluation: '',
    createdBy: ids.worker,
    createdAt: '2026-11-21T02:00:00.000Z',
    startedAt: null,
    doneAt: null,
    evaluatedAt: null,
    updatedAt: '2026-11-21T02:00:00.000Z',
    ...over,
  }
}

export function validServiceRecord(over: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    id: ids.serviceRecord,
    resourceId: ids.resource,
    projectId: ids.project,
    needId: null,
    day: '2026-11-20',
    hours: 2.5,
    note: '',
    category: 'meals',
    status: 'recorded',
    recordedBy: ids.worker,
    recordedAt: '2026-11-20T10:00:00.000Z',
    confirmedBy: null,
    confirmedAt: null,
    points: null,
    pointsPerHour: null,
    rejectReason: null,
    ...over,
  }
}

export function validMatter(over: Partial<Matter> = {}): Matter {
  return {
    id: ids.matter,
    title: '3号楼2单元加装电梯',
    description: '',
    scope: { kind: 'unit', buildingId: ids.building, unit: '2' },
    origin: { kind: 'need', needId: ids.need },
    raisedByName: '3号楼居民',
    raisedAt: '2026-11-21T02:00:00.000Z',
    gridIds: [ids.grid],
    stage: 'raised',
    consultationCampaignIds: [],
    decision: null,
    publicity: null,
    budget: null,
    funding: null,
    projectId: null,
    tasks: [],
    satisfactionCampaignId: null,
    evaluation: '',
    endReason: null,
    createdBy: ids.worker,
    createdAt: '2026-11-21T02:00:00.000Z',
    updatedAt: '2026-11-21T02:00:00.000Z',
    ...over,
  }
}

export function validMatterStep(over: Partial<MatterStep> = {}): MatterStep {
  return { id: ids.matterStep, matterId: ids.matter, action: 'raise', from: null, to: 'raised', actorId: ids.worker, actorName: '王书记', at: '2026-11-21T02:00:00.000Z', note: '', photoIds: [], ...over }
}

export function validMeeting(over: Partial<Meeting> = {}): Meeting {
  return {
    id: ids.meeting,
    matterId: ids.matter,
    day: '2026-11-20',
    time: '19:00',
    place: '邻里议事厅',
    parties: [{ kind: 'household', householdId: ids.household, present: true }, { kind: 'owners_committee', present: true }],
    positions: [{ party: '低层住户', text: '担心采光' }],
    minutes: '',
    nextSteps: '',
    photoIds: [],
    recordedBy: ids.worker,
    recordedAt: '2026-11-21T02:00:00.000Z',
    updatedAt: '2026-11-21T02:00:00.000Z',
    ...over,
  }
}

export function validLedgerEntry(): LedgerEntry {
  return { id: ids.ledgerEntry, matterId: ids.matter, kind: 'contribution', householdId: ids.household, amount: 500_000, day: '2026-11-20', note: '', photoIds: [], recordedBy: ids.worker, recordedAt: '2026-11-21T02:00:00.000Z' }
}

export function validNotice(over: Partial<Notice> = {}): Notice {
  return {
    id: ids.notice,
    title: '关于开展冬季消防安全检查的通知',
    body: '12月5日起，社区将逐楼检查楼道堆物和电动车充电，请各户配合。咨询电话 0571-87000000。',
    category: 'affairs',
    compound: null,
    fromDay: '2026-11-20',
    untilDay: '2026-12-20',
    withdrawn: false,
    createdBy: ids.worker,
    createdAt: '2026-11-20T02:00:00.000Z',
    updatedAt: '2026-11-20T02:00:00.000Z',
    ...over,
  }
}
