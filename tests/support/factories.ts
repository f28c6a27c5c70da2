import type { DemoCommunity } from '../../src/demo/generate'
import type { Answers, ChecklistTemplate, Household, Mutation, ResidentCreate, Visit } from '../../src/domain'
import { uuidv7 } from '../../src/domain'

/** A household of the given worker's first grid cell, with at least one resident if possible. */
export function householdOf(c: DemoCommunity, username: string, index = 0): Household {
  const user = c.users.find((u) => u.username === username)!
  const withResidents = new Set(c.residents.map((r) => r.householdId))
  const list = c.households.filter((h) => h.gridId === user.gridIds[0] && withResidents.has(h.id))
  const h = list[index % list.length]
  if (!h) throw new Error(`no household for ${username}`)
  return h
}

/** A valid visit a worker could record today, met with the head of household, routine checklist. */
export function makeVisit(c: DemoCommunity, household: Household, workerId: string, overrides: Partial<Visit> = {}): Visit {
  const template = c.templates.find((t) => t.code === 'routine')!
  const residents = c.residents.filter((r) => r.householdId === household.id)
  return {
    id: uuidv7(),
    householdId: household.id,
    gridId: household.gridId,
    workerId,
    startedAt: new Date().toISOString(),
    outcome: 'met',
    residentIds: residents.slice(0, 1).map((r) => r.id),
    templateId: template.id,
    templateVersion: template.version,
    answers: requiredAnswers(template),
    notes: '测试走访：老人身体还行',
    needs: '',
    followUpDate: null,
    location: null,
    photoIds: [],
    ...overrides,
  }
}

export function visitMutation(visit: Visit, mutationId = uuidv7()): Mutation {
  return { mutationId, entity: 'visit', id: visit.id, op: 'create', data: visit as unknown as Record<string, unknown>, at: new Date().toISOString() }
}

/** The least a worker must fill in: a valid answer to every required item. */
export function requiredAnswers(template: ChecklistTemplate): Answers {
  const answers: Answers = {}
  for (const item of template.items) {
    if (!item.required) continue
    if (item.kind === 'yesno') answers[item.id] = true
    else if (item.kind === 'choice') answers[item.id] = item.options[0]!
    else if (item.kind === 'number') answers[item.id] = item.min ?? 0
    else answers[item.id] = '正常'
  }
  return answers
}

/** Someone new in a household, as a worker would add them from the household page. */
export function makeResident(household: Household, overrides: Partial<ResidentCreate> = {}): ResidentCreate {
  return {
    id: uuidv7(),
    householdId: household.id,
    gridId: household.gridId,
    name: '赵小满',
    sex: 'F',
    birthYear: 2026,
    relation: 'grandchild',
    phone: null,
    idMasked: null,
    political: 'masses',
    tags: [],
    status: 'present',
    statusDate: null,
    movedTo: null,
    ...overrides,
  }
}

export function residentCreate(r: ResidentCreate, mutationId = uuidv7()): Mutation {
  return { mutationId, entity: 'resident', id: r.id, op: 'create', data: r as unknown as Record<string, unknown>, at: new Date().toISOString() }
}

export function residentPatch(id: string, data: Record<string, unknown>, baseVersion?: number): Mutation {
  return { mutationId: uuidv7(), entity: 'resident', id, op: 'patch', ...(baseVersion !== undefined ? { baseVersion } : {}), data, at: new Date().toISOString() }
}
