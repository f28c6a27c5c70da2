// Small, hand-written valid records. Each test changes one field and checks what the schema says.
import type { Building, Campaign, CampaignTarget, Case, CaseReport, CaseStep, CaseTransition, ChecklistTemplate, Comment, GridCell, Household, Mutation, Resident, Team, User, Visit } from '../../src/domain'

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
