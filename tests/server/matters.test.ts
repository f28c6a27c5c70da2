import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Household, type Matter, type MatterStep, type Meeting, uuidv7 } from '../../src/domain'
import { daysAgo, householdOf, newEntry, newMatter, newMeeting, now, today } from '../support/fixtures'
import { create, expectRefused, matterKit, patch, step } from '../support/matters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 议题 on the server, as the office and the workers meet them: who pulls which matter (their cells'
// only, no ledger at all), that workers write none, every gate of 提 → 议 → 决 → 筹 → 办 → 评 with
// its code and a plain Chinese message and nothing written, a vote that passed deciding a matter
// and one that failed not, and the same thing sent twice kept once.

let s: TestServer
const tokens: Record<string, string> = {}
let k: ReturnType<typeof matterKit>
let stairwell: Household[]
let unitScope: { kind: 'unit'; buildingId: string; unit: string }

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of ['secretary', 'admin', 'grid01', 'grid02']) tokens[u] = await s.login(u)
  k = matterKit(s, tokens)
  const h = householdOf(s.community, 'grid01', 0)
  const b = s.community.buildings.find((x) => x.gridId === h.gridId && x.units > 0)!
  stairwell = s.community.households.filter((x) => x.buildingId === b.id && x.unit === '1')
  expect(stairwell.length).toBeGreaterThanOrEqual(8)
  unitScope = { kind: 'unit', buildingId: b.id, unit: '1' }
})
afterAll(() => s.close())

const g = (who: string) => workerOf(s.community, who).gridIds

/** A matter the secretary raised over grid01's stairwell, taken to `stage` through a resolution. */
async function matterAt(stage: 'raised' | 'discussed' | 'decided', over: Parameters<typeof newMatter>[1] = {}): Promise<{ m: ReturnType<typeof newMatter>; meeting: Meeting['id'] }> {
  const m = newMatter(unitScope, over)
  await k.applied('secretary', create('matter', m))
  const meeting = newMeeting(m.id)
  await k.applied('secretary', create('meeting', meeting))
  if (stage === 'raised') return { m, meeting: meeting.id }
  await k.applied('secretary', step(m.id, 'discuss'))
  if (stage === 'discussed') return { m, meeting: meeting.id }
  await k.applied('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: meeting.id, text: '同意加装' }, publicity: { startDay: daysAgo(15), endDay: daysAgo(8) } }))
  return { m, meeting: meeting.id }
}

describe('who gets which matter', () => {
  it('the office raises a matter for a place; its cells are the register’s, and the first step is written', async () => {
    const m = newMatter(unitScope, { origin: { kind: 'need', needId: s.community.needs[0]!.id } })
    await k.applied('secretary', create('matter', { ...m, gridIds: g('grid02'), stage: 'judged' }))
    const stored = await k.row<Matter>('matters', m.id)
    expect(stored).toMatchObject({ gridIds: g('grid01'), stage: 'raised', createdBy: workerOf(s.community, 'secretary').id, decision: null, budget: null })
    expect(await k.stepsOf(m.id)).toMatchObject([{ action: 'raise', from: null, to: 'raised' }])
    const compound = s.community.buildings.find((b) => b.gridId === g('grid02')[0])!.compound
    const theirs = newMatter({ kind: 'compound', compound }, { title: `${compound}停车位划线` })
    await k.applied('secretary', create('matter', theirs))
    expect((await k.row<Matter>('matters', theirs.id)).gridIds).toEqual(g('grid02'))
    const community = newMatter({ kind: 'community' }, { title: '社区停车管理办法' })
    await k.applied('admin', create('matter', community))
    expect((await k.row<Matter>('matters', community.id)).gridIds).toEqual(s.community.gridCells.map((c) => c.id).sort())
  })

  it('a worker pulls the matters, steps and meetings touching their cells, and no ledger entry; the office all', async () => {
    const { m, meeting } = await matterAt('raised')
    const wide = newMatter({ kind: 'community' }, { title: '垃圾分类督导' })
    await k.applied('secretary', create('matter', wide))
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'subsidy', 100_000)))
    const ids = async (who: string, entity: string) => new Set((await k.pullAll(who)).filter((c) => c.entity === entity).map((c) => c.id))
    const stored = await s.store.selectFrom('matters').select(['id', 'data']).execute()
    for (const who of ['grid01', 'grid02']) {
      const mine = stored.filter((r) => (JSON.parse(r.data) as Matter).gridIds.some((id) => g(who).includes(id))).map((r) => r.id)
      expect([...(await ids(who, 'matter'))].sort(), who).toEqual(mine.sort())
      expect((await ids(who, 'ledgerEntry')).size, `${who} gets no ledger entry`).toBe(0)
      expect((await ids(who, 'matter')).has(wide.id), 'a community matter reaches every cell').toBe(true)
    }
    expect((await ids('grid01', 'matter')).has(m.id)).toBe(true)
    expect((await ids('grid02', 'matter')).has(m.id)).toBe(false)
    expect((await ids('grid01', 'meeting')).has(meeting)).toBe(true)
    expect((await ids('grid02', 'meeting')).has(meeting)).toBe(false)
    const steps = await s.store.selectFrom('matter_steps').select('id').where('matter_id', '=', m.id).execute()
    expect([...(await ids('grid01', 'matterStep'))]).toEqual(expect.arrayContaining(steps.map((r) => r.id)))
    expect([...(await ids('grid02', 'matterStep'))].some((id) => steps.some((r) => r.id === id))).toBe(false)
    const office = await ids('secretary', 'ledgerEntry')
    const entries = await s.store.selectFrom('ledger_entries').select('id').execute()
    expect([...office].sort()).toEqual(entries.map((r) => r.id).sort())
  })

  it('a worker writes none of it: every mutation refused FORBIDDEN, nothing written', async () => {
    const { m, meeting } = await matterAt('raised')
    const before = await k.written()
    for (const who of ['grid01', 'grid02']) {
      for (const sent of [
        create('matter', newMatter(unitScope)),
        patch('matter', m.id, { title: '改个名' }),
        step(m.id, 'discuss'),
        create('meeting', newMeeting(m.id)),
        patch('meeting', meeting, { minutes: '改纪要' }),
        create('ledgerEntry', newEntry(m.id, 'subsidy', 100)),
      ])
        expectRefused(await k.one(who, sent), 'FORBIDDEN', /社区书记或管理员/)
    }
    expect(await k.written()).toEqual(before)
  })
})

describe('the stage gates, refused in words with nothing written', () => {
  it('cannot skip a stage; 议 needs a meeting or a consultation; close and drop need their reason', async () => {
    const m = newMatter(unitScope)
    await k.applied('secretary', create('matter', m))
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: uuidv7(), text: '同意' }, publicity: { startDay: today(), endDay: today() } })), 'INVALID_TRANSITION', /已提出.*只能从「协商中」/)
    expectRefused(await k.one('secretary', step(m.id, 'fund')), 'INVALID_TRANSITION', /不能「确认资金到位」/)
    expectRefused(await k.one('secretary', step(m.id, 'discuss')), 'STAGE_NOT_READY', /议事协商会或入户征询/)
    expectRefused(await k.one('secretary', step(m.id, 'drop', { note: ' ' })), 'VALIDATION_FAILED', /放弃议题要写明原因/)
    expectRefused(await k.one('secretary', step(uuidv7(), 'discuss')), 'NOT_FOUND', /找不到这个议题/)
    expect(await k.written()).toEqual(before)
    await k.applied('secretary', step(m.id, 'drop', { note: '住户意见分歧太大，暂缓' }))
    expect(await k.row<Matter>('matters', m.id)).toMatchObject({ stage: 'dropped', endReason: '住户意见分歧太大，暂缓' })
    const after = await k.written()
    expectRefused(await k.one('secretary', patch('matter', m.id, { title: '再改' })), 'INVALID_TRANSITION', /已放弃，不能再修改/)
    expectRefused(await k.one('secretary', create('meeting', newMeeting(m.id))), 'INVALID_TRANSITION', /不能再记录/)
    expect(await k.written()).toEqual(after)
  })

  it('决 without a decision record is refused DECISION_REQUIRED; with a resolution of its own held meeting it is decided', async () => {
    const { m, meeting } = await matterAt('discussed')
    const other = await matterAt('raised')
    const publicity = { startDay: daysAgo(15), endDay: daysAgo(8) }
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'decide', { publicity })), 'DECISION_REQUIRED', /决定要有依据/)
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: other.meeting, text: '同意' }, publicity })), 'DECISION_REQUIRED', /不是这个议题的/)
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: uuidv7(), text: '同意' }, publicity })), 'DECISION_REQUIRED', /找不到/)
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: meeting, text: '同意' } })), 'VALIDATION_FAILED', /公示/)
    const ahead = newMeeting(m.id, { day: daysAgo(-3) })
    await k.applied('secretary', create('meeting', ahead))
    const mid = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: ahead.id, text: '同意' }, publicity })), 'DECISION_REQUIRED', /还没开/)
    expect(await k.written()).toEqual(mid)
    expect(before).not.toEqual(mid)
    await k.applied('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: meeting, text: '同意加装，按楼层分摊' }, publicity }))
    expect(await k.row<Matter>('matters', m.id)).toMatchObject({ stage: 'decided', decision: { kind: 'resolution', meetingId: meeting }, publicity })
  })

  it('a vote that passed makes 决 possible; one that failed, one still running, or one over too small a place does not', async () => {
    const passed = await k.closedVote(stairwell)
    expect(passed.results!.vote!.tally.passed).toBe(true)
    const failed = await k.closedVote(stairwell, (_h, i) => (i % 2 ? 'agree' : 'oppose'))
    expect(failed.results!.vote!.tally.passed).toBe(false)
    const publicity = { startDay: today(), endDay: today() }
    const { m } = await matterAt('discussed')
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'vote', campaignId: failed.id }, publicity })), 'DECISION_REQUIRED', /没有通过（同意不足）/)
    expectRefused(await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'vote', campaignId: uuidv7() }, publicity })), 'DECISION_REQUIRED', /找不到/)
    // The whole building's matter is not decided by one stairwell's owners.
    const building = newMatter({ kind: 'building', buildingId: unitScope.buildingId }, { title: '1号楼外墙修缮' })
    await k.applied('secretary', create('matter', building))
    await k.applied('secretary', create('meeting', newMeeting(building.id)))
    await k.applied('secretary', step(building.id, 'discuss'))
    const mid = await k.written()
    expectRefused(await k.one('secretary', step(building.id, 'decide', { decision: { kind: 'vote', campaignId: passed.id }, publicity })), 'DECISION_REQUIRED', /范围没有包括/)
    expect(await k.written()).toEqual(mid)
    expect(before).not.toEqual(mid)
    await k.applied('secretary', step(m.id, 'decide', { decision: { kind: 'vote', campaignId: passed.id }, publicity }))
    expect((await k.row<Matter>('matters', m.id)).decision).toEqual({ kind: 'vote', campaignId: passed.id })
  })

  it('筹 needs the budget received (FUNDS_SHORT says how much is missing) and the 公示 over', async () => {
    const { m } = await matterAt('decided')
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'fund')), 'FUNDS_SHORT', /还没有预算/)
    expect(await k.written()).toEqual(before)
    await k.applied('secretary', patch('matter', m.id, { budget: 36_000_000 }))
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'subsidy', 20_000_000)))
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'contribution', 11_000_000, { householdId: stairwell[3]!.id })))
    const mid = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'fund')), 'FUNDS_SHORT', /资金还差 ¥50,000\.00：预算 ¥360,000\.00，已到账 ¥310,000\.00/)
    expect(await k.written()).toEqual(mid)
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'contribution', 5_000_000, { householdId: stairwell[4]!.id })))
    await k.applied('secretary', step(m.id, 'fund'))
    // A decision still on its notice board holds the money back.
    const posted = await matterAt('discussed')
    await k.applied('secretary', step(posted.m.id, 'decide', { decision: { kind: 'resolution', meetingId: posted.meeting, text: '同意' }, publicity: { startDay: today(), endDay: daysAgo(-5) } }))
    await k.applied('secretary', patch('matter', posted.m.id, { budget: 0 }))
    expectRefused(await k.one('secretary', step(posted.m.id, 'fund')), 'STAGE_NOT_READY', /公示期满后/)
  })

  it('办 needs the project done or its tasks done; 评 a satisfaction result or an evaluation', async () => {
    const { m } = await matterAt('decided')
    await k.applied('secretary', patch('matter', m.id, { budget: 0 }))
    await k.applied('secretary', step(m.id, 'fund'))
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'complete')), 'STAGE_NOT_READY', /项目或任务/)
    expectRefused(await k.one('secretary', patch('matter', m.id, { projectId: uuidv7() })), 'NOT_FOUND', /项目/)
    expect(await k.written()).toEqual(before)
    const photo = await k.upload('secretary', 7)
    const task = { id: uuidv7(), title: '清理楼道杂物', done: false, doneDay: null, photoIds: [photo], note: '' }
    await k.applied('secretary', patch('matter', m.id, { tasks: [task] }))
    expectRefused(await k.one('secretary', step(m.id, 'complete')), 'STAGE_NOT_READY', /1 项任务没有完成（「清理楼道杂物」）/)
    await k.applied('secretary', patch('matter', m.id, { tasks: [{ ...task, done: true, doneDay: today() }] }))
    await k.applied('secretary', step(m.id, 'complete', { photoIds: [photo] }))
    const mid = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'judge')), 'STAGE_NOT_READY', /满意度征询的结果|评议意见/)
    expectRefused(await k.one('secretary', patch('matter', m.id, { tasks: [] })), 'INVALID_TRANSITION', /已经办结/)
    expect(await k.written()).toEqual(mid)
    await k.applied('secretary', step(m.id, 'judge', { evaluation: '楼道干净了，住户满意' }))
    expect(await k.row<Matter>('matters', m.id)).toMatchObject({ stage: 'judged', evaluation: '楼道干净了，住户满意' })
    expect((await k.stepsOf(m.id)).map((x) => `${x.action}:${x.to}`)).toEqual(['raise:raised', 'discuss:discussed', 'decide:decided', 'fund:funded', 'complete:done', 'judge:judged'])
    // The step's photo is the office's: grid01, whose cell the matter is in, does not fetch it.
    const res = await s.app.inject({ method: 'GET', url: `/api/attachments/${photo}`, headers: { authorization: `Bearer ${tokens.grid01}` } })
    expect(res.statusCode).toBe(404)
  })

  it('what a matter names must exist: a need, a campaign that is no draft, a place on the register with households', async () => {
    const before = await k.written()
    expectRefused(await k.one('secretary', create('matter', newMatter(unitScope, { origin: { kind: 'need', needId: uuidv7() } }))), 'NOT_FOUND', /需求/)
    expectRefused(await k.one('secretary', create('matter', newMatter(unitScope, { origin: { kind: 'case', caseId: uuidv7() } }))), 'NOT_FOUND', /问题上报/)
    expectRefused(await k.one('secretary', create('matter', newMatter({ kind: 'compound', compound: '没有这个小区' }))), 'NOT_FOUND', /没有叫「没有这个小区」的小区/)
    expectRefused(await k.one('secretary', create('matter', newMatter({ ...unitScope, unit: '9' }))), 'VALIDATION_FAILED', /没有登记的住户/)
    expectRefused(await k.one('secretary', create('matter', newMatter(unitScope, { consultationCampaignIds: [uuidv7()] }))), 'NOT_FOUND', /专项任务/)
    expectRefused(await k.one('secretary', create('matter', { ...newMatter(unitScope), raisedByName: '' })), 'VALIDATION_FAILED', /提出人/)
    expectRefused(await k.one('secretary', create('meeting', newMeeting(uuidv7()))), 'NOT_FOUND', /找不到这个议题/)
    const { m } = await matterAt('raised')
    const mid = await k.written()
    expectRefused(await k.one('secretary', create('meeting', newMeeting(m.id, { place: '书记办公室' }))), 'VALIDATION_FAILED', /「书记办公室」不在议事场所表里/)
    expectRefused(await k.one('secretary', create('meeting', newMeeting(m.id, { parties: [{ kind: 'household', householdId: uuidv7(), present: true }] }))), 'NOT_FOUND', /参会的户/)
    expectRefused(await k.one('secretary', create('meeting', newMeeting(m.id, { parties: [{ kind: 'unit', resourceId: uuidv7(), present: true }] }))), 'NOT_FOUND', /驻区单位/)
    expectRefused(await k.one('secretary', create('meeting', newMeeting(m.id, { photoIds: ['b'.repeat(64)] }))), 'ATTACHMENT_MISSING', /照片/)
    expect(await k.written()).toEqual(mid)
    expect(before).not.toEqual(mid)
    // The places are data: the admin adds one, and a meeting may be held there.
    expect((await k.one('admin', { entity: 'settings', id: '00000000-0000-7000-8000-000000000001', op: 'patch', data: { meetingPlaces: ['邻里议事厅', '书记办公室'] } })).status).toBe('applied')
    const held = newMeeting(m.id, { place: '书记办公室', parties: [{ kind: 'household', householdId: stairwell[0]!.id, present: true }, { kind: 'other', name: '电梯公司', present: true }] })
    await k.applied('secretary', create('meeting', held))
    await k.applied('secretary', patch('meeting', held.id, { minutes: '定了施工时间', parties: [{ kind: 'household', householdId: stairwell[0]!.id, present: false }] }))
    expect(await k.row<Meeting>('meetings', held.id)).toMatchObject({ matterId: m.id, minutes: '定了施工时间', parties: [{ present: false }], place: '书记办公室' })
  })
})

describe('sent twice, kept once', () => {
  it('the same mutation again is a duplicate; the same record under another mutation id too; other content under its id is ID_TAKEN', async () => {
    const m = newMatter(unitScope)
    const mid = uuidv7()
    const first = await k.one('secretary', create('matter', m, mid))
    expect(first.status).toBe('applied')
    const before = await k.written()
    expect(await k.one('secretary', create('matter', m, mid))).toEqual({ mutationId: mid, status: 'duplicate', version: first.version })
    expect(await k.one('secretary', create('matter', m))).toMatchObject({ status: 'duplicate', version: first.version })
    const { mutations: _a, ...w } = { ...(await k.written()), mutations: 0 }
    expect(w).toEqual(before)
    expectRefused(await k.one('secretary', create('matter', { ...m, title: '另一个议题' })), 'ID_TAKEN', /编号已被占用/)
    // Another user sending the same content is not the same sender.
    expectRefused(await k.one('admin', create('matter', m)), 'ID_TAKEN', /编号已被占用/)

    const meeting = newMeeting(m.id)
    await k.applied('secretary', create('meeting', meeting))
    expect((await k.one('secretary', create('meeting', meeting))).status).toBe('duplicate')
    expectRefused(await k.one('secretary', create('meeting', { ...meeting, minutes: '另一份纪要' })), 'ID_TAKEN', /编号已被占用/)

    const discuss = step(m.id, 'discuss')
    await k.applied('secretary', discuss)
    const afterStep = await k.written()
    expect(await k.one('secretary', { ...discuss, mutationId: uuidv7() })).toMatchObject({ status: 'duplicate' })
    expect(await k.written()).toEqual(afterStep)
    expectRefused(await k.one('secretary', { ...discuss, mutationId: uuidv7(), data: { ...discuss.data, action: 'drop', note: '换一个动作' } }), 'ID_TAKEN', /编号已被占用/)
    expect((await k.stepsOf(m.id)).filter((x) => x.action === 'discuss')).toHaveLength(1)

    const paid = newEntry(m.id, 'contribution', 500_000, { householdId: stairwell[1]!.id })
    await k.applied('secretary', create('ledgerEntry', paid))
    expect((await k.one('secretary', create('ledgerEntry', paid))).status).toBe('duplicate')
    expectRefused(await k.one('secretary', create('ledgerEntry', { ...paid, amount: 600_000 })), 'ID_TAKEN', /编号已被占用/)
    const rows = await s.store.selectFrom('ledger_entries').select('id').where('matter_id', '=', m.id).execute()
    expect(rows).toHaveLength(1)
  })

  it('a matter’s steps keep their device time; its record is what the schema says', async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString()
    const m = newMatter(unitScope, { raisedAt: at })
    await k.applied('secretary', create('matter', m))
    await k.applied('secretary', create('meeting', newMeeting(m.id)))
    await k.applied('secretary', step(m.id, 'discuss', { at, note: '第一次议事会后' }))
    const steps = await k.stepsOf(m.id)
    expect(steps.map((x) => (x as unknown as MatterStep).at)).toEqual([at, at])
    expect(steps[1]).toMatchObject({ note: '第一次议事会后', from: 'raised', to: 'discussed' })
    expect((await k.row<Matter>('matters', m.id)).updatedAt > at).toBe(true)
    expect(now() > at).toBe(true)
  })
})
