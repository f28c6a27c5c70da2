import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyMatterAction,
  checkLedgerEntry,
  checkMatterTransition,
  chinaDay,
  computeShares,
  DEFAULT_SETTINGS,
  householdLedger,
  inMatterScope,
  LedgerEntry,
  ledgerTotals,
  Matter,
  type MatterFacts,
  MatterStep,
  Meeting,
  meetingPlacesOf,
  uuidv7,
  voteScopeHolds,
} from '../../src/domain'
import { generateCommunity, type DemoCommunity } from '../../src/demo/generate'
import { ELEVATOR_APPORTIONED, ELEVATOR_BUDGET, ELEVATOR_SUBSIDY, elevatorBands } from '../../src/demo/matters'
import { decodeImage } from '../../src/server/services/imageDecode'
import { matterKit } from '../support/matters'
import { startTestServer, type TestServer } from '../support/server'

// The demo's 议题 (src/demo/matters.ts): what `npm start` shows a newcomer must be matters the
// server's own rules could have produced — every step replayed through matterFlow.ts at its time,
// every ledger entry through matterLedger.ts in the order recorded, the shares exactly the server's
// 分摊 — with the elevator of the demo's closed vote from 提 to 评, and no one named in their words.

const NOW = Date.UTC(2026, 10, 21, 8)
const DAY = 86_400_000

/** Everything wrong with a community's matters: shapes, references, each history replayed, the
 *  ledgers, the shares, the photos. */
function matterProblems(c: DemoCommunity, now: number): string[] {
  const p: string[] = []
  const today = chinaDay(now)
  const buildings = new Map(c.buildings.map((b) => [b.id, b]))
  const compoundOf = (id: string) => buildings.get(id)?.compound
  const households = new Map(c.households.map((h) => [h.id, h]))
  const photos = new Map(c.photos.map((x) => [x.sha256, x]))
  const places = meetingPlacesOf(DEFAULT_SETTINGS)
  const secretary = c.users.find((u) => u.role === 'secretary')!
  const t = Date.parse

  for (const [schema, records] of [
    [Matter, c.matters],
    [MatterStep, c.matterSteps],
    [Meeting, c.meetings],
    [LedgerEntry, c.ledgerEntries],
  ] as const)
    for (const r of records as readonly { id: string }[]) {
      const parsed = schema.safeParse(r)
      if (!parsed.success) p.push(`${r.id}: ${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.')}`)
    }
  const ids = [...c.matters, ...c.matterSteps, ...c.meetings, ...c.ledgerEntries].map((x) => x.id)
  if (new Set(ids).size !== ids.length) p.push('an id used twice')
  for (const list of [c.matterSteps.map((s) => s.at), c.ledgerEntries.map((e) => e.recordedAt)])
    for (let i = 1; i < list.length; i++) if (t(list[i]!) < t(list[i - 1]!)) p.push(`not in time order at ${list[i]}`)

  for (const m of c.matters) {
    const where = `matter ${m.title} (${m.stage})`
    const steps = c.matterSteps.filter((s) => s.matterId === m.id)
    const meetings = c.meetings.filter((x) => x.matterId === m.id)
    const entries = c.ledgerEntries.filter((e) => e.matterId === m.id)

    // The scope and its cells, as the server's scopeView fixes them when the matter is raised.
    const scoped = c.households.filter((h) => inMatterScope(m.scope, h, compoundOf))
    if (scoped.length === 0) p.push(`${where}: no household in its scope`)
    const cells = new Set(scoped.map((h) => h.gridId))
    if (m.scope.kind === 'building' || m.scope.kind === 'unit') cells.add(buildings.get(m.scope.buildingId)!.gridId)
    if (m.scope.kind === 'community') for (const g of c.gridCells) cells.add(g.id)
    if (JSON.stringify(m.gridIds) !== JSON.stringify([...cells].sort())) p.push(`${where}: gridIds are not the cells of its scope`)
    // What it names exists (and came first).
    const o = m.origin
    const earlier = (when: string | undefined) => when !== undefined && t(when) < t(m.raisedAt)
    if (o.kind === 'need' && !earlier(c.needs.find((n) => n.id === o.needId)?.raisedAt)) p.push(`${where}: its need is unknown or later`)
    if (o.kind === 'case' && !earlier(c.cases.find((x) => x.id === o.caseId)?.reportedAt)) p.push(`${where}: its case is unknown or later`)
    if (o.kind === 'campaign' && !c.campaigns.some((x) => x.id === o.campaignId)) p.push(`${where}: its campaign is unknown`)
    if (m.createdBy !== secretary.id || t(m.raisedAt) > now || t(m.updatedAt) > now) p.push(`${where}: not the office's, or in the future`)

    // Meetings: a place of the list, parties known, held ones filled in, recorded while open.
    const ended = steps.find((s) => s.to === 'judged' || s.to === 'closed' || s.to === 'dropped')
    for (const x of meetings) {
      if (!places.includes(x.place)) p.push(`${where}: meeting at ${x.place}, not a meeting place`)
      if (t(x.recordedAt) < t(m.raisedAt) || t(x.updatedAt) < t(x.recordedAt) || t(x.updatedAt) > now) p.push(`${where}: meeting recorded out of time`)
      if (ended && t(x.updatedAt) > t(ended.at)) p.push(`${where}: meeting written after the matter ended`)
      for (const party of x.parties) {
        if (party.kind === 'household' && !households.has(party.householdId)) p.push(`${where}: meeting with an unknown household`)
        if (party.kind === 'unit' && c.resources.find((r) => r.id === party.resourceId)?.kind !== 'unit') p.push(`${where}: meeting with an unknown unit`)
      }
      const held = x.day < today
      if (!held && (x.parties.some((q) => q.present) || x.minutes || x.positions.length)) p.push(`${where}: a meeting not yet held has attendance or minutes`)
      if (held && (!x.minutes || !x.parties.some((q) => q.present))) p.push(`${where}: a meeting held has no minutes or nobody came`)
    }

    // The history, replayed through matterFlow.ts: each move allowed then, given what existed then.
    const [first, ...moves] = steps
    if (!first || first.action !== 'raise' || first.from !== null || first.to !== 'raised' || first.at !== m.raisedAt) p.push(`${where}: does not start with its raise step`)
    let state: Matter = { ...m, stage: 'raised', decision: null, publicity: null, funding: null, evaluation: '', endReason: null }
    for (const s of moves) {
      const at = t(s.at)
      const day = chinaDay(at)
      const before = entries.filter((e) => t(e.recordedAt) < at)
      const input = {
        action: s.action as Exclude<MatterStep['action'], 'raise'>,
        note: s.note,
        decision: s.action === 'decide' ? m.decision! : undefined,
        publicity: s.action === 'decide' ? m.publicity! : undefined,
        evaluation: s.action === 'judge' ? m.evaluation : undefined,
        funding: s.action === 'apportion' ? { rule: m.funding!.rule, amount: m.funding!.amount } : undefined,
      }
      const facts: MatterFacts = { now: at, meetings: meetings.filter((x) => t(x.recordedAt) <= at).length, received: ledgerTotals(before).income, sharesRecorded: before.some((e) => e.kind === 'share') }
      const d = input.decision
      if (d?.kind === 'vote') {
        const v = c.campaigns.find((x) => x.id === d.campaignId) ?? null
        facts.voteCampaign = v
        facts.voteCovers = !!v?.vote && voteScopeHolds(v.vote.scope, m.scope, compoundOf)
      }
      if (d?.kind === 'resolution') facts.resolutionMeeting = meetings.find((x) => x.id === d.meetingId && t(x.recordedAt) <= at) ?? null
      if (m.projectId) facts.project = c.projects.find((x) => x.id === m.projectId) ?? null
      // The tasks as they stood: each done by its day.
      const tasks = m.tasks.map((k) => ({ ...k, done: k.done && k.doneDay! <= day }))
      const check = checkMatterTransition({ ...state, tasks }, input, true, facts)
      if (!check.ok) {
        p.push(`${where}: ${s.action} on ${day} refused: ${check.message}`)
        break
      }
      if (s.from !== state.stage || s.to !== check.to || s.actorId !== secretary.id || at > now) p.push(`${where}: step ${s.action} is not the move it records`)
      state = applyMatterAction(state, check.to, input, s.at)
      if (s.action === 'apportion') {
        if (m.funding!.apportionedAt !== s.at) p.push(`${where}: apportioned at another time than its step`)
        state.funding = m.funding
      }
    }
    for (const k of ['stage', 'decision', 'publicity', 'funding', 'evaluation', 'endReason'] as const)
      if (JSON.stringify(state[k]) !== JSON.stringify(m[k])) p.push(`${where}: its ${k} is not what its steps made it`)
    // Changed last by its last step, or by a patch since (tasks done), never before.
    if (steps.length && t(m.updatedAt) < t(steps[steps.length - 1]!.at)) p.push(`${where}: updatedAt before its last step`)
    for (const k of m.tasks) if (k.done && (k.doneDay! > today || k.doneDay! < chinaDay(t(m.raisedAt)))) p.push(`${where}: task ${k.title} done out of time`)

    // The ledger, in the order recorded: every entry one checkLedgerEntry accepts, the balance
    // never below zero, each on a day that had come.
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!
      const refusal = checkLedgerEntry(entries.slice(0, i), e)
      if (refusal) p.push(`${where}: entry ${e.kind} refused: ${refusal.message}`)
      if (ledgerTotals(entries.slice(0, i + 1)).balance < 0) p.push(`${where}: balance below zero after ${e.kind}`)
      if (e.day > chinaDay(t(e.recordedAt)) || e.day < chinaDay(t(m.raisedAt)) || t(e.recordedAt) > now || e.recordedBy !== secretary.id) p.push(`${where}: entry ${e.kind} out of time`)
      if (e.kind === 'contribution' && !households.has(e.householdId)) p.push(`${where}: a contribution of an unknown household`)
      if (e.kind === 'share' && !scoped.some((h) => h.id === e.householdId)) p.push(`${where}: a share outside its scope`)
      if (e.kind === 'expense' && (e.photoIds.length === 0 || e.photoIds.some((x) => !photos.has(x)))) p.push(`${where}: an expense without its receipt photo`)
    }
    // The shares: exactly computeShares over the scope's households, summing to the amount.
    const shares = entries.filter((e) => e.kind === 'share')
    if (m.funding) {
      const r = computeShares(m.funding.rule, m.funding.amount, scoped.map((h) => ({ householdId: h.id, floor: h.floor, area: h.area ?? null, place: h.address })))
      if (!r.ok) p.push(`${where}: its rule does not fit its households: ${r.message}`)
      else {
        const expected = r.shares.filter((x) => x.amount > 0).map((x) => `${x.householdId}:${x.amount}`).sort()
        if (JSON.stringify(shares.map((e) => `${e.householdId}:${e.amount}`).sort()) !== JSON.stringify(expected)) p.push(`${where}: shares are not the server's`)
      }
      if (shares.reduce((n, e) => n + e.amount, 0) !== m.funding.amount || shares.length !== m.funding.households) p.push(`${where}: shares do not sum to the amount`)
      if (shares.some((e) => e.recordedAt !== m.funding!.apportionedAt)) p.push(`${where}: shares not written with the apportion step`)
    } else if (shares.length) p.push(`${where}: shares without 分摊`)
  }

  // Photos: real JPEGs named by their bytes, each shown by a record.
  const shown = new Set([...c.ledgerEntries.flatMap((e) => e.photoIds), ...c.matters.flatMap((m) => m.tasks.flatMap((k) => k.photoIds)), ...c.matterSteps.flatMap((s) => s.photoIds), ...c.meetings.flatMap((x) => x.photoIds)])
  for (const x of c.photos) {
    if (createHash('sha256').update(x.bytes).digest('hex') !== x.sha256) p.push(`photo ${x.sha256}: not named by its bytes`)
    if (decodeImage(Buffer.from(x.bytes))?.mime !== 'image/jpeg') p.push(`photo ${x.sha256}: not a JPEG that decodes`)
    if (!shown.has(x.sha256)) p.push(`photo ${x.sha256}: shown by no record`)
    if (x.uploadedBy !== secretary.id || t(x.uploadedAt) > now) p.push(`photo ${x.sha256}: not the office's upload`)
  }
  for (const id of shown) if (!photos.has(id)) p.push(`photo ${id}: shown but not in the demo`)
  return p
}

/** What residents may read of the matters (the public page shows some of it, a worker's phone
 *  more): every word written about them, which must never name a person or a flat. */
function words(c: DemoCommunity): string {
  const out: string[] = []
  for (const m of c.matters) out.push(m.title, m.description, m.raisedByName, m.evaluation, m.endReason ?? '', m.decision?.kind === 'resolution' ? m.decision.text : '', ...m.tasks.flatMap((k) => [k.title, k.note]))
  for (const s of c.matterSteps) out.push(s.note)
  for (const x of c.meetings) out.push(x.minutes, x.nextSteps, ...x.positions.flatMap((q) => [q.party, q.text]), ...x.parties.flatMap((q) => (q.kind === 'other' ? [q.name] : [])))
  for (const e of c.ledgerEntries) out.push(e.note, e.kind === 'subsidy' || e.kind === 'other_income' ? e.source : '', e.kind === 'expense' ? e.what : '')
  return out.join('\n')
}

function leaks(c: DemoCommunity): string[] {
  const text = words(c)
  const found: string[] = []
  const check = (what: string, value: string | null | undefined) => {
    if (value && value.length >= 2 && text.includes(value)) found.push(`${what}: ${value}`)
  }
  for (const r of c.residents) {
    check('resident', r.name)
    check('phone', r.phone)
  }
  for (const h of c.households) {
    check('address', h.address)
    check('head', h.headName)
    const b = c.buildings.find((x) => x.id === h.buildingId)
    if (b && h.room) check('flat', `${h.room}室`)
  }
  for (const u of c.users) check('user', u.name)
  for (const r of c.resources) if (r.kind === 'volunteer') check('volunteer', r.name)
  return found
}

let c: DemoCommunity
beforeAll(() => {
  c = generateCommunity({ households: 800 })
})

describe('the demo’s matters', () => {
  it('are records the server’s rules could have made: every step, meeting, entry, share and photo', () => {
    expect(matterProblems(c, NOW)).toEqual([])
  })

  it('stand at several stages: raised from a need, discussed at a meeting, decided by a resolution with its 公示 running, closed or dropped with a reason', () => {
    const today = chinaDay(NOW)
    const byStage = (stage: Matter['stage']) => c.matters.filter((m) => m.stage === stage)
    expect(byStage('raised').some((m) => m.origin.kind === 'need')).toBe(true)
    const discussed = byStage('discussed')
    expect(discussed.some((m) => c.meetings.some((x) => x.matterId === m.id && x.day < today && x.minutes))).toBe(true)
    const decided = byStage('decided').find((m) => m.decision?.kind === 'resolution')!
    expect(decided.publicity!.startDay <= today && decided.publicity!.endDay >= today, 'its 公示 is running').toBe(true)
    expect(c.meetings.find((x) => x.id === (decided.decision as { meetingId: string }).meetingId)!.matterId).toBe(decided.id)
    const ended = [...byStage('closed'), ...byStage('dropped')]
    expect(ended.length).toBeGreaterThan(0)
    for (const m of ended) expect(m.endReason!.length).toBeGreaterThan(10)
  })

  it('take the elevator of the demo’s closed vote from 提 to 评, like 上羊市街社区’s', () => {
    const vote = c.campaigns.find((x) => x.kind === 'vote' && x.status === 'closed')!
    expect(vote.results!.vote!.tally.passed).toBe(true)
    const m = c.matters.find((x) => x.decision?.kind === 'vote')!
    expect(m.decision).toEqual({ kind: 'vote', campaignId: vote.id })
    expect(m.scope).toEqual(vote.vote!.scope)
    expect(m.stage).toBe('judged')
    expect(c.matterSteps.filter((s) => s.matterId === m.id).map((s) => s.action)).toEqual(['raise', 'discuss', 'apportion', 'decide', 'fund', 'complete', 'judge'])
    const stairwell = c.households.filter((h) => h.buildingId === (m.scope as { buildingId: string }).buildingId && h.unit === (m.scope as { unit: string }).unit)
    expect(stairwell.length).toBeGreaterThanOrEqual(10)

    // 议: eight meetings with the stairwell, 业委会 and 物业; the low-floor households heard on light and noise.
    const meetings = c.meetings.filter((x) => x.matterId === m.id)
    expect(meetings).toHaveLength(8)
    expect(meetings.every((x) => x.day < vote.startDay)).toBe(true)
    const came = (kind: string) => meetings.some((x) => x.parties.some((q) => q.kind === kind && q.present))
    expect(came('owners_committee') && came('property') && came('household') && came('party_branch')).toBe(true)
    const heard = meetings.flatMap((x) => x.positions).filter((q) => /低层|一楼|二楼/.test(q.party)).map((q) => q.text)
    expect(heard.some((x) => x.includes('采光') || x.includes('挡光'))).toBe(true)
    expect(heard.some((x) => x.includes('噪音'))).toBe(true)
    const households = new Set(stairwell.map((h) => h.id))
    expect(meetings.every((x) => x.parties.every((q) => q.kind !== 'household' || households.has(q.householdId)))).toBe(true)

    // 筹: ¥360,000; the owners share what the subsidy leaves by floor bands of 10 % … 40 %.
    expect(m.budget).toBe(ELEVATOR_BUDGET)
    expect(m.funding!.amount).toBe(ELEVATOR_APPORTIONED)
    expect(m.funding!.rule).toEqual({ kind: 'floor', bands: elevatorBands(stairwell.map((h) => h.floor!)) })
    expect((m.funding!.rule as { bands: Array<{ percent: number }> }).bands.map((b) => b.percent)).toEqual([0, 10, 20, 30, 40])
    const entries = c.ledgerEntries.filter((e) => e.matterId === m.id)
    expect(entries.filter((e) => e.kind === 'subsidy')).toMatchObject([{ source: '区住建局加装电梯补贴', amount: ELEVATOR_SUBSIDY }])
    const lines = householdLedger(entries).filter((l) => l.due > 0)
    expect(lines.length).toBe(m.funding!.households)
    // Higher up pays more: every household's share at least that of any household below it.
    const floorOf = new Map(stairwell.map((h) => [h.id, h.floor!]))
    for (const a of lines) for (const b of lines) if (floorOf.get(a.householdId)! < floorOf.get(b.householdId)!) expect(a.due).toBeLessThanOrEqual(b.due)
    const dues = lines.map((l) => l.due)
    expect(Math.max(...dues)).toBeGreaterThan(4 * Math.min(...dues))
    const paying = new Set(entries.filter((e) => e.kind === 'contribution').map((e) => (e as { householdId: string }).householdId))
    expect(paying.size / stairwell.length).toBeGreaterThan(0.75)
    expect(lines.every((l) => l.outstanding === 0)).toBe(true)
    expect(entries.some((e) => e.kind === 'correction')).toBe(true)
    const totals = ledgerTotals(entries)
    expect(totals.income).toBeGreaterThanOrEqual(ELEVATOR_BUDGET)
    expect(totals.balance).toBeGreaterThanOrEqual(0)
    const expenses = entries.filter((e) => e.kind === 'expense')
    expect(expenses.length).toBeGreaterThanOrEqual(5)
    expect(expenses.every((e) => e.photoIds.length > 0)).toBe(true)

    // 办 and 评: the tasks all done (the acceptance with its photo), the residents' judgement.
    expect(m.tasks.length).toBeGreaterThan(3)
    expect(m.tasks.every((k) => k.done)).toBe(true)
    expect(m.tasks.some((k) => k.photoIds.length > 0)).toBe(true)
    expect(m.evaluation).toMatch(/满意/)
    // The vote closed long enough ago for all of it to have happened since.
    expect(NOW - Date.parse(vote.closedAt!)).toBeGreaterThan(120 * DAY)
  })

  it('name nobody: no resident, head of household, phone, flat, user or volunteer in what they say', () => {
    expect(leaks(c)).toEqual([])
    expect(leaks(generateCommunity())).toEqual([])
  })

  it('keep to the rules at other sizes, and are the same every time', () => {
    for (const households of [60, 150, 400]) {
      const x = generateCommunity({ households })
      expect(matterProblems(x, NOW), `${households} households`).toEqual([])
      expect(leaks(x), `${households} households`).toEqual([])
      expect(x.matters.length).toBeGreaterThanOrEqual(5)
    }
    // A community too small for a walk-up has no vote, and so no elevator; the rest still holds.
    const tiny = generateCommunity({ households: 40 })
    expect(matterProblems(tiny, NOW)).toEqual([])
    expect(tiny.matters.some((m) => m.decision?.kind === 'vote')).toBe(false)
    // Fewer months of visits: a recent vote, and the elevator only as far as the days since allow.
    for (const [visitMonths, stage] of [[0, 'decided'], [3, 'funded']] as const) {
      const now = Date.UTC(2030, 2, 10, 4)
      const x = generateCommunity({ households: 400, gridCells: 4, visitMonths, now })
      expect(matterProblems(x, now), `${visitMonths} months`).toEqual([])
      expect(x.matters.find((m) => m.decision?.kind === 'vote')?.stage, `${visitMonths} months`).toBe(stage)
    }
    const a = generateCommunity({ households: 150 })
    const b = generateCommunity({ households: 150 })
    expect(JSON.stringify([a.matters, a.matterSteps, a.meetings, a.ledgerEntries, a.photos])).toBe(JSON.stringify([b.matters, b.matterSteps, b.meetings, b.ledgerEntries, b.photos]))
  })
})

describe('the demo’s matters on the server', () => {
  let s: TestServer
  let k: ReturnType<typeof matterKit>
  let elevator: Matter
  beforeAll(async () => {
    s = await startTestServer(200)
    const tokens: Record<string, string> = {}
    for (const u of s.community.users) tokens[u.username] = await s.login(u.username)
    k = matterKit(s, tokens)
    elevator = s.community.matters.find((m) => m.decision?.kind === 'vote')!
  })
  afterAll(() => s.close())

  it('seeds the ledger the office reads: its totals, the balance and every share paid', async () => {
    const res = await k.call('GET', `/api/matters/${elevator.id}/ledger`)
    expect(res.statusCode, res.body).toBe(200)
    const entries = s.community.ledgerEntries.filter((e) => e.matterId === elevator.id)
    const totals = ledgerTotals(entries)
    expect(res.json()).toMatchObject({ stage: 'judged', budget: ELEVATOR_BUDGET, stillToRaise: 0, balance: totals.balance, income: totals.income, entries: entries.length, shares: { outstanding: 0 } })
  })

  it('seeds the receipts as photos the server has: the office gets their bytes', async () => {
    const receipt = s.community.ledgerEntries.find((e) => e.kind === 'expense')!.photoIds[0]!
    const res = await k.call('GET', `/api/attachments/${receipt}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('image/jpeg')
    expect(Buffer.from(res.rawPayload).equals(Buffer.from(s.community.photos.find((x) => x.sha256 === receipt)!.bytes))).toBe(true)
  })

  it('sends a worker the matters of their cells with their steps and meetings, never a ledger entry', async () => {
    const worker = s.community.users.find((u) => u.role === 'worker' && u.gridIds.includes(elevator.gridIds[0]!))!
    const changes = await k.pullAll(worker.username)
    const of = (entity: string) => changes.filter((x) => x.entity === entity).map((x) => x.id)
    const mine = s.community.matters.filter((m) => m.gridIds.some((g) => worker.gridIds.includes(g)))
    expect(of('matter').sort()).toEqual(mine.map((m) => m.id).sort())
    expect(of('matterStep').sort()).toEqual(s.community.matterSteps.filter((x) => mine.some((m) => m.id === x.matterId)).map((x) => x.id).sort())
    expect(of('meeting').sort()).toEqual(s.community.meetings.filter((x) => mine.some((m) => m.id === x.matterId)).map((x) => x.id).sort())
    expect(of('ledgerEntry')).toEqual([])
    const office = await k.pullAll('secretary')
    expect(office.filter((x) => x.entity === 'ledgerEntry')).toHaveLength(s.community.ledgerEntries.length)
  })

  it('takes the office’s next moves on the seeded matters as on any other', async () => {
    const raised = s.community.matters.find((m) => m.stage === 'raised')!
    const meeting = {
      id: uuidv7(),
      matterId: raised.id,
      day: chinaDay(Date.now() + 3 * DAY),
      time: '19:00',
      place: '邻里议事厅',
      parties: [{ kind: 'property', present: false }, { kind: 'owners_committee', present: false }],
    }
    await k.applied('secretary', { entity: 'meeting', id: meeting.id, op: 'create', data: meeting })
    await k.applied('secretary', { entity: 'matter', id: raised.id, op: 'transition', data: { stepId: uuidv7(), action: 'discuss', note: '', at: new Date().toISOString() } })
    // The decided one's 公示 is still running: no 筹 yet, in words.
    const decided = s.community.matters.find((m) => m.stage === 'decided')!
    const r = await k.one('secretary', { entity: 'matter', id: decided.id, op: 'transition', data: { stepId: uuidv7(), action: 'fund', note: '', at: new Date().toISOString() } })
    expect(r.status).toBe('rejected')
    expect(r.error!.code).toBe('FUNDS_SHORT')
    // The elevator's ledger takes no expense beyond its balance.
    const balance = ledgerTotals(s.community.ledgerEntries.filter((e) => e.matterId === elevator.id)).balance
    const receipt = s.community.photos[0]!.sha256
    const over = { id: uuidv7(), matterId: elevator.id, kind: 'expense', amount: balance + 1, day: chinaDay(Date.now()), what: '电梯维保费', photoIds: [receipt], note: '' }
    const refused = await k.one('secretary', { entity: 'ledgerEntry', id: over.id, op: 'create', data: over })
    expect(refused.error?.code, JSON.stringify(refused)).toBe('BALANCE_NEGATIVE')
  })
})
