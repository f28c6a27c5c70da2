import type { NeedCategory } from './needCategories'
import type { Need, NeedAction, NeedCreate, NeedStatus, Project, ProjectAction, ProjectCreate, ProjectPatch, ProjectStatus, ServiceAction, ServiceRecord, ServiceRecordCreate, ServiceStatus } from './schemas/lists'
import { NEED_STATUS_ZH, PROJECT_STATUS_ZH, SERVICE_STATUS_ZH } from './schemas/lists'
import { NEED_STATUS_EN, PROJECT_STATUS_EN, SERVICE_STATUS_EN } from './labels'
import { say } from './language'

// The three lists' states as data, like caseFlow.ts: who may move a need, a project or a
// volunteer's service record from where to where, and what they must give. The app offers only
// the possible actions; the server enforces them and its answer is final.
//
// A need is recorded by a worker (for their own cells' households, checked by the server) or by
// the office; everything after that is the office's: match it to a resource, mark it met or not
// to be met (with the reason), reopen it. Joining a project matches an open need, and a project's
// completion meets every need it still has open or matched.

/** 'worker': a worker of the need's grid cell. */
export type ListActor = 'office' | 'worker'
const OFFICE: readonly ListActor[] = ['office']

export type FlowCheck<S> = { ok: true; to: S } | { ok: false; code: 'INVALID_TRANSITION' | 'FORBIDDEN' | 'VALIDATION_FAILED'; message: string }

interface Rule<S, N extends string> {
  from: readonly S[]
  to: S
  by: readonly ListActor[]
  needs?: readonly N[]
}

/** Who may record a need at all (the server also checks the households are the worker's). */
export const MAY_CREATE_NEED: readonly ListActor[] = ['office', 'worker']

export const NEED_FLOW: Record<NeedAction, Rule<NeedStatus, 'resourceId' | 'note'>> = {
  // Matching again moves it to another resource (派单 to someone else), like a case's re-assign.
  match: { from: ['open', 'matched'], to: 'matched', by: OFFICE, needs: ['resourceId'] },
  // Met straight from open too: the office answered a 咨询 itself.
  meet: { from: ['open', 'matched'], to: 'met', by: OFFICE },
  close: { from: ['open', 'matched'], to: 'closed', by: OFFICE, needs: ['note'] },
  reopen: { from: ['met', 'closed'], to: 'open', by: OFFICE },
}

export const NEED_ACTION_ZH: Record<NeedAction, string> = { match: '对接资源', meet: '标记已解决', close: '标记无法解决', reopen: '重新打开' }
const NEED_ACTION_EN: Record<NeedAction, string> = { match: 'Match a resource', meet: 'Mark as met', close: 'Mark as cannot be met', reopen: 'Reopen' }

const ACTOR_ZH: Record<ListActor, string> = { office: '社区书记或管理员', worker: '本网格网格员' }
const ACTOR_EN: Record<ListActor, string> = { office: 'the community secretary or an administrator', worker: "the cell's grid worker" }

/** A list's words for its thing, states and actions, in both languages, for check's refusals. */
interface FlowWords<S extends string, A extends string> {
  what: { zh: string; en: string }
  state: { zh: Record<S, string>; en: Record<S, string> }
  action: { zh: Record<A, string>; en: Record<A, string> }
}

const NEED_WORDS: FlowWords<NeedStatus, NeedAction> = {
  what: { zh: '需求', en: 'The need' },
  state: { zh: NEED_STATUS_ZH, en: NEED_STATUS_EN },
  action: { zh: NEED_ACTION_ZH, en: NEED_ACTION_EN },
}

function check<S extends string, A extends string, N extends string>(
  words: FlowWords<S, A>,
  rule: Rule<S, N>,
  state: S,
  action: A,
  actor: ListActor | null,
): FlowCheck<S> {
  const { what, state: st, action: act } = words
  if (!actor || !rule.by.includes(actor))
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: say(`「${act.zh[action]}」只能由${rule.by.map((a) => ACTOR_ZH[a]).join('或')}操作`, `Only ${rule.by.map((a) => ACTOR_EN[a]).join(' or ')} can "${act.en[action]}"`)(),
    }
  if (!rule.from.includes(state))
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      message: say(
        `${what.zh}现在是「${st.zh[state]}」，不能「${act.zh[action]}」（只能从${rule.from.map((s) => `「${st.zh[s]}」`).join('、')}）`,
        `${what.en} is "${st.en[state]}" and cannot "${act.en[action]}" (only from ${rule.from.map((s) => `"${st.en[s]}"`).join(', ')})`,
      )(),
    }
  return { ok: true, to: rule.to }
}

/** May this actor do this to a need in this state, with this input? With the reason if not. */
export function checkNeedTransition(status: NeedStatus, action: NeedAction, actor: ListActor | null, input: { note: string; resourceId: string | null }): FlowCheck<NeedStatus> {
  const rule = NEED_FLOW[action]
  const c = check(NEED_WORDS, rule, status, action, actor)
  if (!c.ok) return c
  if (rule.needs?.includes('resourceId') && !input.resourceId) return { ok: false, code: 'VALIDATION_FAILED', message: say('对接时要选一项资源', 'To match, choose a resource')() }
  if (rule.needs?.includes('note') && !input.note.trim()) return { ok: false, code: 'VALIDATION_FAILED', message: say('标记无法解决要写明原因', 'Write why it cannot be met')() }
  return c
}

export function availableNeedActions(status: NeedStatus, actor: ListActor | null): NeedAction[] {
  if (!actor) return []
  return (Object.keys(NEED_FLOW) as NeedAction[]).filter((a) => NEED_FLOW[a].from.includes(status) && NEED_FLOW[a].by.includes(actor))
}

/** Not yet met or closed: what the office still has to do something about. */
export function isUnresolved(status: NeedStatus): boolean {
  return status === 'open' || status === 'matched'
}

/** A need as it is first stored, 待对接 with nothing decided yet: the server's record of a
 *  need:create, and the phone's copy until the server's arrives. */
export function openNeed(sent: NeedCreate, now: string): Need {
  return { ...sent, status: 'open', resourceId: null, projectId: null, matchedAt: null, metAt: null, closedAt: null, closeReason: null, metNote: null, dueAt: null, updatedAt: now }
}

/** The need after an allowed action (checkNeedTransition first). `dueAt` for a match is the
 *  server's to default. Re-matching keeps the first match time: the figures measure how long a
 *  need waited for anyone at all. */
export function applyNeedAction(n: Need, action: NeedAction, input: { note: string; resourceId: string | null; dueAt: string | null }, now: string): Need {
  const base = { ...n, updatedAt: now }
  switch (action) {
    case 'match':
      return { ...base, status: 'matched', resourceId: input.resourceId, matchedAt: n.matchedAt ?? now, dueAt: input.dueAt }
    case 'meet':
      return { ...base, status: 'met', metAt: now, metNote: input.note.trim() || null }
    case 'close':
      return { ...base, status: 'closed', closedAt: now, closeReason: input.note.trim() }
    case 'reopen':
      // Back to the start: nobody has it, and whatever project had it is over for it.
      return { ...base, status: 'open', resourceId: null, projectId: null, matchedAt: null, metAt: null, metNote: null, closedAt: null, closeReason: null, dueAt: null }
  }
}

/** Why a need may not join the project, or null. Only needs still to be met, and in no other project. */
export function whyNotJoin(n: Need, project: Pick<Project, 'id'>, titleOf: (projectId: string) => string): string | null {
  const desc = n.description || say('（无说明）', '(no description)')()
  if (!isUnresolved(n.status))
    return say(
      `需求「${desc}」已经是「${NEED_STATUS_ZH[n.status]}」，不能再放进项目：要的话先重新打开它`,
      `The need "${desc}" is already "${NEED_STATUS_EN[n.status]}" and cannot join a project: reopen it first if it should`,
    )()
  if (n.projectId !== null && n.projectId !== project.id) return say(`需求「${desc}」已经在项目「${titleOf(n.projectId)}」里`, `The need "${desc}" is already in the project "${titleOf(n.projectId)}"`)()
  return null
}

/** A need joining a project: an open one is matched by it (to its first resource, if any). */
export function joinProject(n: Need, project: Pick<Project, 'id' | 'resourceIds'>, now: string): Need {
  if (n.projectId === project.id) return n
  if (n.status === 'open') return { ...n, status: 'matched', projectId: project.id, resourceId: project.resourceIds[0] ?? null, matchedAt: now, updatedAt: now }
  return { ...n, projectId: project.id, updatedAt: now }
}

/** A need taken out of a project (while it is still being planned): matched only by the project, it is open again. */
export function leaveProject(n: Need, now: string): Need {
  if (n.status === 'matched' && n.resourceId === null) return { ...n, status: 'open', projectId: null, matchedAt: null, dueAt: null, updatedAt: now }
  return { ...n, projectId: null, updatedAt: now }
}

/** The needs a project's completion meets: those it still has open or matched. */
export function metByCompletion(needs: readonly Need[]): Need[] {
  return needs.filter((n) => isUnresolved(n.status))
}

export function meetByProject(n: Need, project: Pick<Project, 'title'>, now: string): Need {
  return { ...n, status: 'met', metAt: now, metNote: `项目「${project.title}」完成`.slice(0, 200), updatedAt: now }
}

// ---- projects ----

/** A project as it is first stored, in 策划: the server's record of a project:create, and the
 *  office device's copy until the server's arrives. */
export function newProject(input: ProjectCreate, createdBy: string, now: string): Project {
  return { ...input, status: 'planning', summary: '', photoIds: [], householdsServed: null, evaluation: '', createdBy, createdAt: now, startedAt: null, doneAt: null, evaluatedAt: null, updatedAt: now }
}

export const PROJECT_FLOW: Record<ProjectAction, Rule<ProjectStatus, 'evaluation'>> = {
  start: { from: ['planning'], to: 'doing', by: OFFICE },
  complete: { from: ['doing'], to: 'done', by: OFFICE },
  // 民评: residents' judgement, written down by the office.
  evaluate: { from: ['done'], to: 'evaluated', by: OFFICE, needs: ['evaluation'] },
}

export const PROJECT_ACTION_ZH: Record<ProjectAction, string> = { start: '开始实施', complete: '完成', evaluate: '评价' }
const PROJECT_ACTION_EN: Record<ProjectAction, string> = { start: 'Start', complete: 'Complete', evaluate: 'Evaluate' }
const PROJECT_WORDS: FlowWords<ProjectStatus, ProjectAction> = {
  what: { zh: '项目', en: 'The project' },
  state: { zh: PROJECT_STATUS_ZH, en: PROJECT_STATUS_EN },
  action: { zh: PROJECT_ACTION_ZH, en: PROJECT_ACTION_EN },
}

export function checkProjectTransition(status: ProjectStatus, action: ProjectAction, actor: ListActor | null, input: { evaluation?: string }): FlowCheck<ProjectStatus> {
  const rule = PROJECT_FLOW[action]
  const c = check(PROJECT_WORDS, rule, status, action, actor)
  if (!c.ok) return c
  if (rule.needs?.includes('evaluation') && !input.evaluation?.trim()) return { ok: false, code: 'VALIDATION_FAILED', message: say('评价时要写下居民的评价', "To evaluate, write down the residents' evaluation")() }
  return c
}

export function availableProjectActions(status: ProjectStatus, actor: ListActor | null): ProjectAction[] {
  if (!actor) return []
  return (Object.keys(PROJECT_FLOW) as ProjectAction[]).filter((a) => PROJECT_FLOW[a].from.includes(status) && PROJECT_FLOW[a].by.includes(actor))
}

/** What may change in a project at its stage, or the reason not: an evaluated project is history;
 *  a finished one keeps its needs and resources (its needs were met by it); needs leave a project
 *  only while it is planned (once it runs, a need it cannot serve is closed or moved instead). */
export function whyNotEdit(p: Project, patch: ProjectPatch): string | null {
  if (p.status === 'evaluated') return say(`项目「${p.title}」已经评价，不能再修改`, `The project "${p.title}" has been evaluated and can no longer change`)()
  const listsChange = patch.needIds !== undefined || patch.resourceIds !== undefined
  if (p.status === 'done' && listsChange) return say(`项目「${p.title}」已经完成，需求和资源不能再改`, `The project "${p.title}" is done: its needs and resources can no longer change`)()
  if (p.status !== 'planning' && patch.needIds !== undefined && p.needIds.some((id) => !patch.needIds!.includes(id)))
    return say(
      `项目「${p.title}」已在实施，需求只能增加不能移出：不再由它解决的需求请单独标记`,
      `The project "${p.title}" is under way: needs can be added but not taken out; mark a need it no longer serves on its own`,
    )()
  return null
}

// ---- volunteers' service records ----

export const SERVICE_FLOW: Record<ServiceAction, Rule<ServiceStatus, 'note'>> = {
  confirm: { from: ['recorded'], to: 'confirmed', by: OFFICE },
  reject: { from: ['recorded'], to: 'rejected', by: OFFICE, needs: ['note'] },
}

export const SERVICE_ACTION_ZH: Record<ServiceAction, string> = { confirm: '确认工时', reject: '不予确认' }
const SERVICE_ACTION_EN: Record<ServiceAction, string> = { confirm: 'Confirm the hours', reject: 'Do not confirm' }
const SERVICE_WORDS: FlowWords<ServiceStatus, ServiceAction> = {
  what: { zh: '这条工时', en: 'This record of hours' },
  state: { zh: SERVICE_STATUS_ZH, en: SERVICE_STATUS_EN },
  action: { zh: SERVICE_ACTION_ZH, en: SERVICE_ACTION_EN },
}

export function checkServiceTransition(status: ServiceStatus, action: ServiceAction, actor: ListActor | null, input: { note: string }): FlowCheck<ServiceStatus> {
  const rule = SERVICE_FLOW[action]
  const c = check(SERVICE_WORDS, rule, status, action, actor)
  if (!c.ok) return c
  if (rule.needs?.includes('note') && !input.note.trim()) return { ok: false, code: 'VALIDATION_FAILED', message: say('不予确认要写明原因', 'Write why the hours are not confirmed')() }
  return c
}

/** The category a volunteer's hours earn points by: the need's, which says best what they were
 *  spent on, else the project's; null when neither is known. */
export function serviceCategory(on: { need?: Pick<Need, 'category'> | null; project?: Pick<Project, 'category'> | null }): NeedCategory | null {
  return on.need?.category ?? on.project?.category ?? null
}

/** Hours as they are first stored, 待确认 with no points (points come only with confirmation):
 *  the server's record of a serviceRecord:create, and the office device's copy until the
 *  server's arrives. `category`: serviceCategory of what the hours were for. */
export function newServiceRecord(sent: ServiceRecordCreate, category: NeedCategory | null, recordedBy: string, now: string): ServiceRecord {
  const { id, resourceId, projectId, needId, day, hours, note } = sent
  return {
    id,
    resourceId,
    projectId,
    needId,
    day,
    hours,
    note,
    category,
    status: 'recorded',
    recordedBy,
    recordedAt: now,
    confirmedBy: null,
    confirmedAt: null,
    points: null,
    pointsPerHour: null,
    rejectReason: null,
  }
}
