import { chinaDay } from './coverage'
import { yuan } from './matterLedger'
import type { Campaign, VoteScope } from './schemas/campaign'
import type { Project } from './schemas/lists'
import type { Matter, MatterAction, MatterCreate, MatterPatch, MatterScope, MatterStage, MatterTransition, Meeting } from './schemas/matter'
import { MATTER_STAGE_ZH } from './schemas/matter'
import { MATTER_ACTION_EN, MATTER_STAGE_EN } from './labels'
import { say } from './language'
import type { Settings } from './schemas/settings'
import { DEFAULT_MEETING_PLACES } from './settingsDefaults'
import { VOTE_STATUS_LABELS } from './voteRules'

// A matter's stages as data, like caseFlow.ts and needFlow.ts: 提 → 议 → 决 → 筹 → 办 → 评, one step
// at a time, each gated by what the stage means — a discussion held, a decision residents made, the
// money in, the work done, their judgement. The server looks the records up and asks here; the
// app offers only the possible moves. Everything is the office's: workers read matters.

/** The stages a matter is still open in (it may be closed or dropped from any of them). */
export const OPEN_MATTER_STAGES: readonly MatterStage[] = ['raised', 'discussed', 'decided', 'funded', 'done']

export function isMatterOpen(stage: MatterStage): boolean {
  return OPEN_MATTER_STAGES.includes(stage)
}

interface Rule {
  from: readonly MatterStage[]
  /** null: the stage stays (分摊). */
  to: MatterStage | null
}

export const MATTER_FLOW: Record<MatterAction, Rule> = {
  discuss: { from: ['raised'], to: 'discussed' },
  decide: { from: ['discussed'], to: 'decided' },
  fund: { from: ['decided'], to: 'funded' },
  complete: { from: ['funded'], to: 'done' },
  judge: { from: ['done'], to: 'judged' },
  close: { from: OPEN_MATTER_STAGES, to: 'closed' },
  drop: { from: OPEN_MATTER_STAGES, to: 'dropped' },
  // Shares are agreed while residents discuss and decide; once the money is in they are history.
  apportion: { from: ['discussed', 'decided'], to: null },
}

export const MATTER_ACTION_ZH: Record<MatterAction | 'raise', string> = {
  raise: '提出议题',
  discuss: '开始协商',
  decide: '记录决定',
  fund: '确认资金到位',
  complete: '办结',
  judge: '记录评议',
  close: '关闭议题',
  drop: '放弃议题',
  apportion: '分摊费用',
}

export type MatterRefusalCode = 'FORBIDDEN' | 'INVALID_TRANSITION' | 'VALIDATION_FAILED' | 'DECISION_REQUIRED' | 'FUNDS_SHORT' | 'STAGE_NOT_READY'
export type MatterCheck = { ok: true; to: MatterStage } | { ok: false; code: MatterRefusalCode; message: string }

/** What the server found for the move: the records it names, the money, today (China time). */
export interface MatterFacts {
  now: number
  /** Meetings recorded for the matter. */
  meetings: number
  /** decide: the campaign the decision names (null: unknown), and whether its vote's places hold
   *  the matter's; or the meeting it names (null: unknown). */
  voteCampaign?: Pick<Campaign, 'title' | 'kind' | 'status' | 'vote' | 'results' | 'closedAt'> | null
  voteCovers?: boolean
  resolutionMeeting?: Pick<Meeting, 'matterId' | 'day'> | null
  /** fund: income received so far (fen). */
  received?: number
  /** complete: the project the matter names. */
  project?: Pick<Project, 'title' | 'status'> | null
  /** judge: the satisfaction campaign the matter names. */
  satisfaction?: Pick<Campaign, 'title' | 'status' | 'results'> | null
  /** apportion: whether any share is recorded already. */
  sharesRecorded?: boolean
}

type Input = Pick<MatterTransition, 'action' | 'note' | 'decision' | 'publicity' | 'evaluation' | 'funding'>

const refuse = (code: MatterRefusalCode, message: string): MatterCheck => ({ ok: false, code, message })
const dayZh = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
const dayEn = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' })

/** May the office make this move, with this input, given what the server found? With the reason if not. */
export function checkMatterTransition(m: Pick<Matter, 'id' | 'stage' | 'consultationCampaignIds' | 'budget' | 'publicity' | 'projectId' | 'tasks' | 'satisfactionCampaignId' | 'funding'>, input: Input, office: boolean, facts: MatterFacts): MatterCheck {
  const action = input.action
  const rule = MATTER_FLOW[action]
  if (!office) return refuse('FORBIDDEN', say('议题由社区书记或管理员推进', 'Matters are moved on by the community secretary or an administrator')())
  if (!rule.from.includes(m.stage))
    return refuse(
      'INVALID_TRANSITION',
      say(
        `议题现在是「${MATTER_STAGE_ZH[m.stage]}」，不能「${MATTER_ACTION_ZH[action]}」（只能从${rule.from.map((s) => `「${MATTER_STAGE_ZH[s]}」`).join('、')}）`,
        `The matter is "${MATTER_STAGE_EN[m.stage]}" and cannot "${MATTER_ACTION_EN[action]}" (only from ${rule.from.map((s) => `"${MATTER_STAGE_EN[s]}"`).join(', ')})`,
      )(),
    )
  const to = rule.to ?? m.stage
  const today = chinaDay(facts.now)
  switch (action) {
    case 'discuss':
      if (facts.meetings === 0 && m.consultationCampaignIds.length === 0)
        return refuse('STAGE_NOT_READY', say('还没有议事协商会或入户征询：先记下一次议事会（约好的也可以），或关联一个意见征询任务', 'No meeting or door-to-door consultation yet: record a meeting first (a planned one will do), or link a consultation campaign')())
      break
    case 'decide': {
      const d = input.decision
      if (!d) return refuse('DECISION_REQUIRED', say('决定要有依据：一个已结束并通过的表决，或这个议题的议事会决议', 'A decision needs a basis: a vote that is over and passed, or a resolution of a meeting on this matter')())
      if (!input.publicity) return refuse('VALIDATION_FAILED', say('决定要公示：请写公示的开始和结束日期', 'A decision must be posted: write the first and last day of the posting')())
      let decidedDay: string
      if (d.kind === 'vote') {
        const c = facts.voteCampaign
        if (!c) return refuse('DECISION_REQUIRED', say('找不到作为决定的表决任务', 'The vote campaign given as the decision was not found')())
        if (c.kind !== 'vote' || !c.vote) return refuse('DECISION_REQUIRED', say(`「${c.title}」不是表决任务，不能作为决定：请选一个表决，或记下议事会的决议`, `"${c.title}" is not a vote and cannot be the decision: choose a vote, or record the resolution of a meeting`)())
        if (c.status !== 'closed' || !c.closedAt) return refuse('DECISION_REQUIRED', say(`表决「${c.title}」还没有结束，结果没有定：结束表决后再记录决定`, `The vote "${c.title}" is not over and has no result yet: close the vote, then record the decision`)())
        const tally = c.results?.vote?.tally
        if (!tally?.passed)
          return refuse('DECISION_REQUIRED', say(
            `表决「${c.title}」没有通过（${tally ? VOTE_STATUS_LABELS[tally.status]['zh-CN'] : '没有计票结果'}），不能作为决定：可以重新协商后再表决，或放弃议题`,
            `The vote "${c.title}" did not pass (${tally ? VOTE_STATUS_LABELS[tally.status].en : 'no count'}) and cannot be the decision: discuss again and vote again, or drop the matter`,
          )())
        if (!facts.voteCovers) return refuse('DECISION_REQUIRED', say(`表决「${c.title}」的范围没有包括这个议题涉及的全部住户：要由整个范围的业主表决`, `The scope of the vote "${c.title}" does not cover every household of this matter: the owners of the whole scope must vote`)())
        decidedDay = chinaDay(Date.parse(c.closedAt))
      } else {
        const meeting = facts.resolutionMeeting
        if (!meeting) return refuse('DECISION_REQUIRED', say('找不到作出决议的议事会', 'The meeting that made the resolution was not found')())
        if (meeting.matterId !== m.id) return refuse('DECISION_REQUIRED', say('这次议事会不是这个议题的：决议要来自本议题的议事会', 'That meeting is not on this matter: the resolution must come from a meeting on this matter')())
        if (meeting.day > today) return refuse('DECISION_REQUIRED', say(`议事会定在${dayZh(meeting.day)}，还没开，不能作为决定`, `The meeting is on ${dayEn(meeting.day)} and has not been held yet, so it cannot be the decision`)())
        decidedDay = meeting.day
      }
      if (input.publicity.startDay < decidedDay) return refuse('VALIDATION_FAILED', say(`公示要在决定之后：决定是${dayZh(decidedDay)}作出的`, `The posting must come after the decision: the decision was made on ${dayEn(decidedDay)}`)())
      break
    }
    case 'fund': {
      if (m.budget === null) return refuse('FUNDS_SHORT', say('还没有预算：先写下这件事要花多少钱（不需要花钱的写0）', 'No budget yet: first write down what this will cost (0 if it costs nothing)')())
      const received = facts.received ?? 0
      if (received < m.budget) return refuse('FUNDS_SHORT', say(`资金还差 ${yuan(m.budget - received)}：预算 ${yuan(m.budget)}，已到账 ${yuan(received)}`, `${yuan(m.budget - received)} is still missing: budget ${yuan(m.budget)}, received ${yuan(received)}`)())
      if (m.publicity && m.publicity.endDay >= today) return refuse('STAGE_NOT_READY', say(`决定公示到${dayZh(m.publicity.endDay)}，公示期满后才能确认资金到位`, `The decision is posted until ${dayEn(m.publicity.endDay)}; funds can be confirmed once the posting is over`)())
      break
    }
    case 'complete': {
      if (m.projectId) {
        const p = facts.project
        if (!p) return refuse('STAGE_NOT_READY', say('找不到这个议题的项目', 'The project of this matter was not found')())
        if (p.status !== 'done' && p.status !== 'evaluated') return refuse('STAGE_NOT_READY', say(`项目「${p.title}」还没有完成：项目完成后才能办结`, `The project "${p.title}" is not done yet: the matter can be marked done once the project is`)())
        break
      }
      if (m.tasks.length === 0) return refuse('STAGE_NOT_READY', say('还没有办理的项目或任务：关联一个项目，或写下要做的任务', 'No project or tasks to carry it out yet: link a project, or write down the tasks to do')())
      const open = m.tasks.filter((t) => !t.done)
      if (open.length) return refuse('STAGE_NOT_READY', say(`还有 ${open.length} 项任务没有完成（${open.slice(0, 3).map((t) => `「${t.title}」`).join('、')}）`, `${open.length} ${open.length === 1 ? 'task is' : 'tasks are'} not done yet (${open.slice(0, 3).map((t) => `"${t.title}"`).join(', ')})`)())
      break
    }
    case 'judge': {
      const c = facts.satisfaction
      const surveyed = !!m.satisfactionCampaignId && !!c && c.status === 'closed' && c.results !== null
      if (!surveyed && !input.evaluation?.trim())
        return refuse('STAGE_NOT_READY', c && c.status !== 'closed' ? say(`满意度征询「${c.title}」还没有结束：结束后再评议，或记下居民的评议意见`, `The satisfaction survey "${c.title}" is not over: judge it once it is, or record the residents' judgement`)() : say('评议要有居民满意度征询的结果，或记下居民的评议意见', "A judgement needs the results of a residents' satisfaction survey, or the residents' judgement written down")())
      break
    }
    case 'close':
    case 'drop':
      if (!input.note.trim()) return refuse('VALIDATION_FAILED', say(`${MATTER_ACTION_ZH[action]}要写明原因`, `"${MATTER_ACTION_EN[action]}" needs a reason`)())
      break
    case 'apportion': {
      const f = input.funding
      if (!f) return refuse('VALIDATION_FAILED', say('分摊要写分摊规则和金额', 'To share the costs, give the rule and the amount')())
      if (m.budget === null) return refuse('VALIDATION_FAILED', say('先写下预算，再分摊', 'Write down the budget first, then share the costs')())
      if (f.amount > m.budget) return refuse('VALIDATION_FAILED', say(`分摊的金额 ${yuan(f.amount)} 超过了预算 ${yuan(m.budget)}`, `The amount to share, ${yuan(f.amount)}, is more than the budget of ${yuan(m.budget)}`)())
      if (facts.sharesRecorded || m.funding) return refuse('INVALID_TRANSITION', say('已经分摊过了：要调整某一户的份额，请记一笔更正', "The costs are already shared: to change one household's share, record a correction")())
      break
    }
  }
  return { ok: true, to }
}

/** The moves the office could make now: what the app offers as buttons (their gates still apply). */
export function availableMatterActions(stage: MatterStage, office: boolean): MatterAction[] {
  if (!office) return []
  return (Object.keys(MATTER_FLOW) as MatterAction[]).filter((a) => MATTER_FLOW[a].from.includes(stage))
}

/** The matter after an allowed move (checkMatterTransition first). Funding is the server's to
 *  set with the shares it wrote. */
export function applyMatterAction(m: Matter, to: MatterStage, input: Input, now: string): Matter {
  const next: Matter = { ...m, stage: to, updatedAt: now }
  if (input.action === 'decide') {
    next.decision = input.decision!
    next.publicity = input.publicity!
  }
  if (input.action === 'judge' && input.evaluation?.trim()) next.evaluation = input.evaluation.trim()
  if (input.action === 'close' || input.action === 'drop') next.endReason = input.note.trim().slice(0, 200)
  return next
}

/** A matter as it is first stored, 已提出: the server's record of a matter:create. */
export function newMatter(input: MatterCreate, gridIds: string[], createdBy: string, now: string): Matter {
  return {
    ...input,
    gridIds,
    stage: 'raised',
    decision: null,
    publicity: null,
    funding: null,
    projectId: null,
    tasks: [],
    satisfactionCampaignId: null,
    evaluation: '',
    endReason: null,
    createdBy,
    createdAt: now,
    updatedAt: now,
  }
}

const BEFORE_DECIDED: readonly MatterStage[] = ['raised', 'discussed']
const UP_TO_DECIDED: readonly MatterStage[] = ['raised', 'discussed', 'decided']
const BEFORE_DONE: readonly MatterStage[] = ['raised', 'discussed', 'decided', 'funded']

/** Why this edit may not be made at the matter's stage, or null. The decision, the money and the
 *  work are fixed once the stage that rests on them is reached. */
export function whyNotEditMatter(m: Pick<Matter, 'title' | 'stage' | 'funding'>, patch: MatterPatch): string | null {
  if (!isMatterOpen(m.stage)) return say(`议题「${m.title}」${MATTER_STAGE_ZH[m.stage]}，不能再修改`, `The matter "${m.title}" is ${MATTER_STAGE_EN[m.stage].toLowerCase()} and can no longer change`)()
  if (patch.consultationCampaignIds !== undefined && !BEFORE_DECIDED.includes(m.stage)) return say(`议题「${m.title}」已经决定，征询任务不能再改`, `The matter "${m.title}" is decided: its consultation campaigns can no longer change`)()
  if (patch.budget !== undefined && !UP_TO_DECIDED.includes(m.stage)) return say(`议题「${m.title}」的资金已经筹齐，预算不能再改`, `The matter "${m.title}" is funded: its budget can no longer change`)()
  if (patch.budget !== undefined && m.funding && (patch.budget ?? -1) < m.funding.amount) return say(`已经按 ${yuan(m.funding.amount)} 分摊，预算不能少于这个数`, `The costs were shared on ${yuan(m.funding.amount)}: the budget cannot be less`)()
  if ((patch.projectId !== undefined || patch.tasks !== undefined) && !BEFORE_DONE.includes(m.stage)) return say(`议题「${m.title}」已经办结，项目和任务不能再改`, `The matter "${m.title}" is done: its project and tasks can no longer change`)()
  return null
}

/** Does the vote's scope hold every household of the matter's? The same place or a larger one:
 *  a unit's matter may be decided by its building's owners, never a building's by one unit's. */
export function voteScopeHolds(vote: VoteScope, matter: MatterScope, compoundOf: (buildingId: string) => string | undefined): boolean {
  if (matter.kind === 'community') return false
  if (vote.kind === 'compound') return matter.kind === 'compound' ? matter.compound === vote.compound : compoundOf(matter.buildingId) === vote.compound
  if (matter.kind === 'compound') return false
  if (vote.kind === 'building') return matter.buildingId === vote.buildingId
  return matter.kind === 'unit' && matter.buildingId === vote.buildingId && matter.unit === vote.unit
}

/** The households of a matter's scope. */
export function inMatterScope(scope: MatterScope, h: { buildingId: string | null; unit: string | null }, compoundOf: (buildingId: string) => string | undefined): boolean {
  if (scope.kind === 'community') return true
  if (h.buildingId === null) return false
  if (scope.kind === 'compound') return compoundOf(h.buildingId) === scope.compound
  return h.buildingId === scope.buildingId && (scope.kind === 'building' || h.unit === scope.unit)
}

/** The community's 议事 spaces: the settings', or the defaults for records older than them. */
export function meetingPlacesOf(settings: Pick<Settings, 'meetingPlaces'>): string[] {
  return settings.meetingPlaces ?? DEFAULT_MEETING_PLACES
}
