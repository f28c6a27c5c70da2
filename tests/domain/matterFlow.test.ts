import { describe, expect, it } from 'vitest'
import {
  applyMatterAction,
  availableMatterActions,
  type Campaign,
  checkMatterTransition,
  DEFAULT_MEETING_PLACES,
  inMatterScope,
  Matter,
  MATTER_STAGES,
  type MatterFacts,
  type MatterStage,
  type MatterTransition,
  meetingPlacesOf,
  newMatter,
  Settings,
  uuidv7,
  voteScopeHolds,
  whyNotEditMatter,
} from '../../src/domain'
import { MAJOR_MATTER, tallyVote } from '../../src/domain/voteRules'

// The stage rules of a matter (matterFlow.ts): one step at a time, forward; each gated by what the
// stage means. Every refusal is checked for its code and its words.

const NOW = Date.parse('2026-11-21T08:00:00.000Z') // 2026-11-21 16:00 China time
const AT = new Date(NOW).toISOString()
const MATTER_ID = uuidv7()
const BUILDING = uuidv7()
const OTHER_BUILDING = uuidv7()
const compoundOf = (id: string) => (id === BUILDING || id === OTHER_BUILDING ? '幸福里小区' : undefined)

function matter(stage: MatterStage = 'raised', over: Partial<Matter> = {}): Matter {
  const base = newMatter(
    { id: MATTER_ID, title: '3号楼2单元加装电梯', description: '', scope: { kind: 'unit', buildingId: BUILDING, unit: '2' }, origin: { kind: 'office' }, raisedByName: '3号楼居民', raisedAt: AT, budget: null, consultationCampaignIds: [] },
    [uuidv7()],
    uuidv7(),
    AT,
  )
  const decided = ['decided', 'funded', 'done', 'judged'].includes(stage)
  return {
    ...base,
    stage,
    ...(decided ? { decision: { kind: 'resolution' as const, meetingId: uuidv7(), text: '同意加装' }, publicity: { startDay: '2026-11-01', endDay: '2026-11-07' } } : {}),
    ...(stage === 'closed' || stage === 'dropped' ? { endReason: '已另行解决' } : {}),
    ...over,
  }
}

const facts = (over: Partial<MatterFacts> = {}): MatterFacts => ({ now: NOW, meetings: 0, ...over })
const move = (action: MatterTransition['action'], over: Partial<MatterTransition> = {}) => ({ action, note: '', ...over })

function voteCampaign(passed: boolean, over: Partial<Campaign> = {}): Campaign {
  const households = Array.from({ length: 8 }, (_, i) => ({ householdId: `h${i}`, area: 80, answer: i < (passed ? 8 : 4) ? ('agree' as const) : ('oppose' as const) }))
  const tally = tallyVote(households, MAJOR_MATTER)
  return {
    id: uuidv7(),
    title: '加装电梯表决',
    kind: 'vote',
    description: '',
    templateId: uuidv7(),
    templateVersion: 1,
    startDay: '2026-11-01',
    deadline: '2026-11-10',
    secondAttempt: true,
    vote: { rule: MAJOR_MATTER, scope: { kind: 'unit', buildingId: BUILDING, unit: '2' } },
    status: 'closed',
    targeting: { gridIds: [], compounds: [], buildingIds: [], units: [], tags: [], attention: [] },
    targetCount: 8,
    createdBy: uuidv7(),
    createdAt: AT,
    launchedAt: AT,
    closedAt: '2026-11-10T04:00:00.000Z',
    results: {
      at: AT,
      progress: { totals: { targets: 8, done: 8, attempted: 0, refused: 0, notYet: 0, open: 0 }, byGrid: [], byBuilding: [], byUnit: [] },
      answeredHouseholds: 8,
      items: [],
      hazardHouseholds: 0,
      vote: { tally, answeredByOthersOnly: 0 },
    },
    ...over,
  }
}

describe('one step at a time, forward', () => {
  it('offers the office exactly each stage’s moves; a worker none, and is refused', () => {
    const offered: Record<MatterStage, string[]> = {
      raised: ['discuss', 'close', 'drop'],
      discussed: ['decide', 'close', 'drop', 'apportion'],
      decided: ['fund', 'close', 'drop', 'apportion'],
      funded: ['complete', 'close', 'drop'],
      done: ['judge', 'close', 'drop'],
      judged: [],
      closed: [],
      dropped: [],
    }
    for (const stage of MATTER_STAGES) {
      expect(availableMatterActions(stage, true), stage).toEqual(offered[stage])
      expect(availableMatterActions(stage, false)).toEqual([])
    }
    expect(checkMatterTransition(matter(), move('discuss'), false, facts({ meetings: 1 }))).toEqual({ ok: false, code: 'FORBIDDEN', message: '议题由社区书记或管理员推进' })
  })

  it('cannot skip a stage nor go back, and says from where it could', () => {
    expect(checkMatterTransition(matter('raised'), move('decide', { decision: { kind: 'vote', campaignId: uuidv7() }, publicity: { startDay: '2026-11-11', endDay: '2026-11-17' } }), true, facts({ voteCampaign: voteCampaign(true), voteCovers: true }))).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '议题现在是「已提出」，不能「记录决定」（只能从「协商中」）',
    })
    expect(checkMatterTransition(matter('discussed'), move('fund'), true, facts({ received: 0 }))).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect(checkMatterTransition(matter('funded'), move('discuss'), true, facts({ meetings: 3 }))).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    for (const end of ['judged', 'closed', 'dropped'] as const) expect(checkMatterTransition(matter(end), move('close', { note: '再关一次' }), true, facts())).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
  })

  it('议 needs a meeting (arranged will do) or a door-to-door consultation', () => {
    expect(checkMatterTransition(matter(), move('discuss'), true, facts())).toMatchObject({ ok: false, code: 'STAGE_NOT_READY', message: expect.stringContaining('议事会') })
    expect(checkMatterTransition(matter(), move('discuss'), true, facts({ meetings: 1 }))).toEqual({ ok: true, to: 'discussed' })
    expect(checkMatterTransition(matter('raised', { consultationCampaignIds: [uuidv7()] }), move('discuss'), true, facts())).toEqual({ ok: true, to: 'discussed' })
  })

  it('close and drop need their reason, from any open stage', () => {
    for (const stage of ['raised', 'discussed', 'decided', 'funded', 'done'] as const) {
      expect(checkMatterTransition(matter(stage), move('drop', { note: '  ' }), true, facts())).toEqual({ ok: false, code: 'VALIDATION_FAILED', message: '放弃议题要写明原因' })
      expect(checkMatterTransition(matter(stage), move('close', { note: '' }), true, facts())).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: '关闭议题要写明原因' })
      expect(checkMatterTransition(matter(stage), move('drop', { note: '低层住户不同意' }), true, facts())).toEqual({ ok: true, to: 'dropped' })
    }
    const dropped = applyMatterAction(matter('discussed'), 'dropped', move('drop', { note: ' 低层住户不同意 ' }), AT)
    expect(Matter.parse(dropped)).toMatchObject({ stage: 'dropped', endReason: '低层住户不同意' })
  })
})

describe('决 needs a decision record', () => {
  const publicity = { startDay: '2026-11-11', endDay: '2026-11-17' }
  const byVote = (campaignId = uuidv7()) => move('decide', { decision: { kind: 'vote', campaignId }, publicity })

  it('without one it is refused DECISION_REQUIRED', () => {
    expect(checkMatterTransition(matter('discussed'), move('decide', { publicity }), true, facts())).toMatchObject({ ok: false, code: 'DECISION_REQUIRED', message: expect.stringContaining('表决') })
    expect(checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: null }))).toMatchObject({ ok: false, code: 'DECISION_REQUIRED' })
  })

  it('a vote that passed decides it; one that failed, is still open, is no vote, or is over too small a place does not', () => {
    expect(checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: voteCampaign(true), voteCovers: true }))).toEqual({ ok: true, to: 'decided' })
    const failed = checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: voteCampaign(false), voteCovers: true }))
    expect(failed).toEqual({ ok: false, code: 'DECISION_REQUIRED', message: '表决「加装电梯表决」没有通过（同意不足），不能作为决定：可以重新协商后再表决，或放弃议题' })
    expect(checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: voteCampaign(true, { status: 'launched', closedAt: null, results: null }), voteCovers: true }))).toMatchObject({ code: 'DECISION_REQUIRED', message: expect.stringContaining('还没有结束') })
    expect(checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: voteCampaign(true, { kind: 'consultation', vote: null }), voteCovers: true }))).toMatchObject({ code: 'DECISION_REQUIRED', message: expect.stringContaining('不是表决') })
    expect(checkMatterTransition(matter('discussed'), byVote(), true, facts({ voteCampaign: voteCampaign(true), voteCovers: false }))).toMatchObject({ code: 'DECISION_REQUIRED', message: expect.stringContaining('范围') })
  })

  it('a resolution must be of a meeting of this matter already held', () => {
    const resolution = (meetingId = uuidv7()) => move('decide', { decision: { kind: 'resolution', meetingId, text: '同意按楼层分摊' }, publicity })
    expect(checkMatterTransition(matter('discussed'), resolution(), true, facts({ resolutionMeeting: { matterId: MATTER_ID, day: '2026-11-10' } }))).toEqual({ ok: true, to: 'decided' })
    expect(checkMatterTransition(matter('discussed'), resolution(), true, facts({ resolutionMeeting: { matterId: uuidv7(), day: '2026-11-20' } }))).toMatchObject({ code: 'DECISION_REQUIRED', message: expect.stringContaining('不是这个议题的') })
    expect(checkMatterTransition(matter('discussed'), resolution(), true, facts({ resolutionMeeting: { matterId: MATTER_ID, day: '2026-11-22' } }))).toEqual({ ok: false, code: 'DECISION_REQUIRED', message: '议事会定在11月22日，还没开，不能作为决定' })
    expect(checkMatterTransition(matter('discussed'), resolution(), true, facts({ resolutionMeeting: null }))).toMatchObject({ code: 'DECISION_REQUIRED' })
  })

  it('a decision is posted (公示), not before it was made', () => {
    const noPublicity = move('decide', { decision: { kind: 'vote', campaignId: uuidv7() } })
    expect(checkMatterTransition(matter('discussed'), noPublicity, true, facts({ voteCampaign: voteCampaign(true), voteCovers: true }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('公示') })
    const early = move('decide', { decision: { kind: 'vote', campaignId: uuidv7() }, publicity: { startDay: '2026-11-09', endDay: '2026-11-15' } })
    expect(checkMatterTransition(matter('discussed'), early, true, facts({ voteCampaign: voteCampaign(true), voteCovers: true }))).toEqual({ ok: false, code: 'VALIDATION_FAILED', message: '公示要在决定之后：决定是11月10日作出的' })
    const decided = applyMatterAction(matter('discussed'), 'decided', byVote(), AT)
    expect(Matter.parse(decided)).toMatchObject({ stage: 'decided', publicity })
  })

  it('a record that says it is decided without a decision is not a matter', () => {
    expect(Matter.safeParse({ ...matter('funded'), decision: null }).success).toBe(false)
    expect(Matter.safeParse({ ...matter('discussed'), endReason: '写了原因' }).success).toBe(false)
  })

  it('a vote’s places hold the matter’s when they are the same or larger', () => {
    const unit = { kind: 'unit', buildingId: BUILDING, unit: '2' } as const
    expect(voteScopeHolds(unit, unit, compoundOf)).toBe(true)
    expect(voteScopeHolds({ kind: 'building', buildingId: BUILDING }, unit, compoundOf)).toBe(true)
    expect(voteScopeHolds({ kind: 'compound', compound: '幸福里小区' }, unit, compoundOf)).toBe(true)
    expect(voteScopeHolds({ kind: 'compound', compound: '幸福里小区' }, { kind: 'building', buildingId: OTHER_BUILDING }, compoundOf)).toBe(true)
    expect(voteScopeHolds({ ...unit, unit: '1' }, unit, compoundOf)).toBe(false)
    expect(voteScopeHolds(unit, { kind: 'building', buildingId: BUILDING }, compoundOf)).toBe(false)
    expect(voteScopeHolds({ kind: 'building', buildingId: OTHER_BUILDING }, unit, compoundOf)).toBe(false)
    expect(voteScopeHolds({ kind: 'building', buildingId: BUILDING }, { kind: 'compound', compound: '幸福里小区' }, compoundOf)).toBe(false)
    expect(voteScopeHolds({ kind: 'compound', compound: '教师新村' }, unit, compoundOf)).toBe(false)
    expect(voteScopeHolds({ kind: 'compound', compound: '幸福里小区' }, { kind: 'community' }, compoundOf)).toBe(false)
    expect(inMatterScope(unit, { buildingId: BUILDING, unit: '2' }, compoundOf)).toBe(true)
    expect(inMatterScope(unit, { buildingId: BUILDING, unit: '1' }, compoundOf)).toBe(false)
    expect(inMatterScope({ kind: 'compound', compound: '幸福里小区' }, { buildingId: OTHER_BUILDING, unit: null }, compoundOf)).toBe(true)
    expect(inMatterScope({ kind: 'community' }, { buildingId: null, unit: null }, compoundOf)).toBe(true)
  })
})

describe('筹, 办 and 评', () => {
  it('筹 needs a budget and the money in, and says how much is missing', () => {
    expect(checkMatterTransition(matter('decided'), move('fund'), true, facts({ received: 100 }))).toMatchObject({ ok: false, code: 'FUNDS_SHORT', message: expect.stringContaining('还没有预算') })
    expect(checkMatterTransition(matter('decided', { budget: 36_000_000 }), move('fund'), true, facts({ received: 31_000_000 }))).toEqual({
      ok: false,
      code: 'FUNDS_SHORT',
      message: '资金还差 ¥50,000.00：预算 ¥360,000.00，已到账 ¥310,000.00',
    })
    expect(checkMatterTransition(matter('decided', { budget: 36_000_000 }), move('fund'), true, facts({ received: 36_000_000 }))).toEqual({ ok: true, to: 'funded' })
    // A matter that costs nothing passes 筹 with a budget of 0.
    expect(checkMatterTransition(matter('decided', { budget: 0 }), move('fund'), true, facts({ received: 0 }))).toEqual({ ok: true, to: 'funded' })
  })

  it('筹 waits for the 公示 to be over', () => {
    const posted = matter('decided', { budget: 0, publicity: { startDay: '2026-11-15', endDay: '2026-11-21' } })
    expect(checkMatterTransition(posted, move('fund'), true, facts({ received: 0 }))).toEqual({ ok: false, code: 'STAGE_NOT_READY', message: '决定公示到11月21日，公示期满后才能确认资金到位' })
    expect(checkMatterTransition(posted, move('fund'), true, facts({ received: 0, now: NOW + 86_400_000 }))).toEqual({ ok: true, to: 'funded' })
  })

  it('办 needs its project done, or tasks all done', () => {
    const task = (done: boolean) => ({ id: uuidv7(), title: done ? '井道施工' : '电梯验收', done, doneDay: done ? '2026-11-20' : null, photoIds: [], note: '' })
    expect(checkMatterTransition(matter('funded'), move('complete'), true, facts())).toMatchObject({ code: 'STAGE_NOT_READY', message: expect.stringContaining('项目或任务') })
    expect(checkMatterTransition(matter('funded', { tasks: [task(true), task(false)] }), move('complete'), true, facts())).toEqual({ ok: false, code: 'STAGE_NOT_READY', message: '还有 1 项任务没有完成（「电梯验收」）' })
    expect(checkMatterTransition(matter('funded', { tasks: [task(true)] }), move('complete'), true, facts())).toEqual({ ok: true, to: 'done' })
    const withProject = matter('funded', { projectId: uuidv7() })
    expect(checkMatterTransition(withProject, move('complete'), true, facts({ project: { title: '加装电梯', status: 'doing' } }))).toMatchObject({ code: 'STAGE_NOT_READY', message: '项目「加装电梯」还没有完成：项目完成后才能办结' })
    expect(checkMatterTransition(withProject, move('complete'), true, facts({ project: { title: '加装电梯', status: 'done' } }))).toEqual({ ok: true, to: 'done' })
  })

  it('评 needs a satisfaction result or a recorded evaluation', () => {
    expect(checkMatterTransition(matter('done'), move('judge'), true, facts())).toMatchObject({ code: 'STAGE_NOT_READY' })
    expect(checkMatterTransition(matter('done'), move('judge', { evaluation: '住户满意，出行方便了' }), true, facts())).toEqual({ ok: true, to: 'judged' })
    const surveyed = matter('done', { satisfactionCampaignId: uuidv7() })
    const campaign = voteCampaign(true, { kind: 'consultation', vote: null })
    expect(checkMatterTransition(surveyed, move('judge'), true, facts({ satisfaction: { ...campaign, status: 'launched', results: null } }))).toMatchObject({ code: 'STAGE_NOT_READY', message: expect.stringContaining('还没有结束') })
    expect(checkMatterTransition(surveyed, move('judge'), true, facts({ satisfaction: campaign }))).toEqual({ ok: true, to: 'judged' })
    expect(Matter.parse(applyMatterAction(matter('done'), 'judged', move('judge', { evaluation: ' 满意 ' }), AT)).evaluation).toBe('满意')
  })

  it('分摊 keeps the stage, needs a budget it stays within, and is done once', () => {
    const funding = { rule: { kind: 'equal' as const }, amount: 1_000_000 }
    expect(checkMatterTransition(matter('discussed', { budget: 2_000_000 }), move('apportion', { funding }), true, facts())).toEqual({ ok: true, to: 'discussed' })
    expect(checkMatterTransition(matter('discussed'), move('apportion', { funding }), true, facts())).toMatchObject({ code: 'VALIDATION_FAILED', message: '先写下预算，再分摊' })
    expect(checkMatterTransition(matter('decided', { budget: 500_000 }), move('apportion', { funding }), true, facts())).toMatchObject({ code: 'VALIDATION_FAILED', message: '分摊的金额 ¥10,000.00 超过了预算 ¥5,000.00' })
    expect(checkMatterTransition(matter('decided', { budget: 2_000_000 }), move('apportion', { funding }), true, facts({ sharesRecorded: true }))).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('更正') })
    expect(checkMatterTransition(matter('funded', { budget: 2_000_000 }), move('apportion', { funding }), true, facts())).toMatchObject({ code: 'INVALID_TRANSITION' })
  })
})

describe('edits by stage, and the places of meetings', () => {
  it('what may change at each stage', () => {
    expect(whyNotEditMatter(matter('judged'), { title: '改名' })).toBe('议题「3号楼2单元加装电梯」已评议，不能再修改')
    expect(whyNotEditMatter(matter('raised'), { budget: 100, consultationCampaignIds: [], tasks: [] })).toBeNull()
    expect(whyNotEditMatter(matter('decided'), { consultationCampaignIds: [] })).toMatch(/征询任务不能再改/)
    expect(whyNotEditMatter(matter('decided'), { budget: 100 })).toBeNull()
    expect(whyNotEditMatter(matter('funded'), { budget: 100 })).toMatch(/预算不能再改/)
    expect(whyNotEditMatter(matter('decided', { funding: { rule: { kind: 'equal' }, amount: 500, households: 5, apportionedAt: AT } }), { budget: 400 })).toMatch(/不能少于/)
    expect(whyNotEditMatter(matter('funded'), { tasks: [] })).toBeNull()
    expect(whyNotEditMatter(matter('done'), { projectId: null })).toMatch(/项目和任务不能再改/)
    expect(whyNotEditMatter(matter('done'), { satisfactionCampaignId: uuidv7() })).toBeNull()
  })

  it('meeting places are the settings’, or the defaults for records older than them', () => {
    expect(meetingPlacesOf({})).toEqual(DEFAULT_MEETING_PLACES)
    expect(DEFAULT_MEETING_PLACES).toContain('邻里议事厅')
    expect(meetingPlacesOf({ meetingPlaces: ['红色议事亭'] })).toEqual(['红色议事亭'])
    const base = { id: uuidv7(), visitRules: [{ attention: 'any', tag: 'none', days: 182 }], caseDeadlines: { redHours: 2, yellowHours: 24, blueHours: 72, disputeAcceptHours: 48, defaultHandlingDays: 7 } }
    expect(Settings.parse(base).meetingPlaces).toBeUndefined()
    expect(Settings.safeParse({ ...base, meetingPlaces: ['邻里议事厅', '邻里议事厅'] }).success).toBe(false)
    expect(Settings.safeParse({ ...base, meetingPlaces: [] }).success).toBe(false)
  })
})
