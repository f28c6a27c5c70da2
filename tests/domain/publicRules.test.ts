import { describe, expect, it } from 'vitest'
import type { Campaign, CampaignFigures } from '../../src/domain'
import { MAJOR_MATTER, tallyVote, type VoteAnswer } from '../../src/domain/voteRules'
import type { LedgerEntry } from '../../src/domain'
import { compoundOf, matterScopeLabel, NameFinder, personalDataIn, publicCommunity, publicMatters, publicMenu, publicNotices, publicProjects, publicVotes, scopeLabel, scrubPersonal, shownCount } from '../../src/domain/publicRules'
import { ids, validCampaign, validMatter, validMatterStep, validMeeting, validNotice, validOffer, validProject, validResource, validVolunteer } from '../support/fixtures'

// 公开 from the records: only what a resident may see, counts only for scopes large enough.

const buildings = [{ id: ids.building, compound: '幸福里小区', number: '3号楼' }]

function closedVote(answers: Array<VoteAnswer | null>, area: number | null = 80, over: Partial<Campaign> = {}): Campaign {
  const tally = tallyVote(
    answers.map((answer, i) => ({ householdId: `h${i}`, area, answer })),
    MAJOR_MATTER,
  )
  const results = { vote: { tally, answeredByOthersOnly: 0 } } as unknown as CampaignFigures
  return validCampaign({ kind: 'vote', status: 'closed', closedAt: '2026-11-25T10:00:00.000Z', vote: { rule: MAJOR_MATTER, scope: { kind: 'building', buildingId: ids.building } }, results, title: '3号楼加装电梯表决', ...over })
}

describe('the service menu', () => {
  it('lists active resources’ offers on the menu, a volunteer without a name, by category then title', () => {
    const menu = publicMenu([
      validResource({ offers: [validOffer({ title: '老年助餐' }), validOffer({ id: ids.need, title: '不上菜单', onMenu: false })] }),
      validResource({ id: ids.project, name: '已停用食堂', active: false }),
      validVolunteer({ id: ids.case }),
    ])
    expect(menu).toEqual([
      { category: 'elderly_care', title: '上门理发', schedule: validOffer().schedule, providerKind: 'volunteer', provider: null },
      { category: 'meals', title: '老年助餐', schedule: '每天中午', providerKind: 'unit', provider: '幸福里长者食堂' },
    ])
  })
})

describe('counts', () => {
  it('are shown from the setting up, never below', () => {
    expect(shownCount(5, 5)).toBe(5)
    expect(shownCount(4, 5)).toBeNull()
    expect(shownCount(null, 5)).toBeNull()
  })
})

describe('projects', () => {
  it('say what and when, not who leads them; under way first, then planned, then done, latest first', () => {
    const list = publicProjects(
      [
        validProject({ id: 'a', title: '完成的', status: 'done', startDay: '2026-09-01', householdsServed: 36 }),
        validProject({ id: 'b', title: '实施中', status: 'doing', startDay: '2026-10-01', householdsServed: 3 }),
        validProject({ id: 'c', title: '策划中', status: 'planning', startDay: '2026-12-01' }),
        validProject({ id: 'd', title: '更早完成的', status: 'evaluated', startDay: '2026-06-01' }),
      ],
      5,
    )
    expect(list.map((p) => p.title)).toEqual(['实施中', '策划中', '完成的', '更早完成的'])
    expect(list[0]!.householdsServed).toBeNull()
    expect(list[2]!.householdsServed).toBe(36)
    expect(Object.keys(list[0]!).sort()).toEqual(['category', 'description', 'endDay', 'evaluation', 'householdsServed', 'startDay', 'status', 'summary', 'title'])
  })
})

describe('votes', () => {
  it('a closed vote of enough households shows its tally by number and by area', () => {
    const [v] = publicVotes([closedVote(['agree', 'agree', 'agree', 'agree', 'agree', 'oppose'])], buildings, 5)
    expect(v).toMatchObject({ title: '3号楼加装电梯表决', scope: '幸福里小区3号楼', rule: 'major', closedDay: '2026-11-25' })
    expect(v!.tally).toMatchObject({ passed: true, households: { total: 6, participants: 6, agree: 5, oppose: 1 }, area: { total: 480, agree: 400 } })
  })

  it('a scope below the setting keeps its tally to itself; a missing area keeps the area measure', () => {
    expect(publicVotes([closedVote(['agree', 'agree', 'agree', 'agree'])], buildings, 5)[0]!.tally).toBeNull()
    const [v] = publicVotes([closedVote(['agree', 'agree', 'agree', 'agree', 'agree'], null)], buildings, 5)
    expect(v!.tally!.area).toBeNull()
    expect(v!.tally!.households.total).toBe(5)
  })

  it('only closed votes, the latest first; running ones and other kinds are not on it', () => {
    const list = publicVotes(
      [
        closedVote(['agree'], 80, { id: 'old', title: '早的', closedAt: '2026-10-01T02:00:00.000Z' }),
        closedVote(['agree'], 80, { id: 'new', title: '晚的' }),
        closedVote(['agree'], 80, { id: 'run', title: '进行中', status: 'launched', closedAt: null }),
        validCampaign({ id: 'gas', kind: 'inspection', status: 'closed', closedAt: '2026-11-30T02:00:00.000Z' }),
      ],
      buildings,
      5,
    )
    expect(list.map((v) => v.title)).toEqual(['晚的', '早的'])
  })

  it('names a scope as the notice board does', () => {
    expect(scopeLabel({ kind: 'compound', compound: '教师新村' }, buildings)).toBe('教师新村')
    expect(scopeLabel({ kind: 'building', buildingId: ids.building }, buildings)).toBe('幸福里小区3号楼')
    expect(scopeLabel({ kind: 'unit', buildingId: ids.building, unit: '2' }, buildings)).toBe('幸福里小区3号楼2单元')
  })
})

it('the whole page says when it was made and by which rule it counts', () => {
  const page = publicCommunity({ community: '幸福里社区', minHouseholds: 7, now: new Date('2026-12-01T08:00:00.000Z'), resources: [], projects: [], campaigns: [], buildings })
  expect(page).toEqual({ community: '幸福里社区', generatedAt: '2026-12-01T08:00:00.000Z', minHouseholds: 7, compounds: ['幸福里小区'], notices: [], menu: [], projects: [], votes: [], matters: [] })
})

describe('matters (议题)', () => {
  const hh = (n: number) => `0190a000-0000-7000-8000-0000000${String(n).padStart(5, '0')}`
  const base = { resources: [validResource()], projects: [], campaigns: [], buildings, minHouseholds: 5, community: '幸福里社区', now: new Date() }
  const entry = (over: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind'>, i: number) =>
    ({ id: `e${i}`, matterId: ids.matter, amount: 100_00, day: '2026-11-20', note: '', photoIds: [], recordedBy: ids.worker, recordedAt: '2026-11-21T02:00:00.000Z', ...over }) as LedgerEntry

  it('say each stage reached with its day, the meetings by side and count, and the decision in words; no step of 分摊, no note, no actor', () => {
    const matter = validMatter({ stage: 'decided', decision: { kind: 'resolution', meetingId: ids.meeting, text: '同意加装，按楼层分摊' }, publicity: { startDay: '2026-11-22', endDay: '2026-11-28' } })
    const [m] = publicMatters({
      ...base,
      matters: [matter],
      matterSteps: [
        validMatterStep({ id: 's3', action: 'decide', from: 'discussed', to: 'decided', at: '2026-11-21T16:30:00.000Z', note: '王书记主持' }),
        validMatterStep(),
        validMatterStep({ id: 's2', action: 'discuss', from: 'raised', to: 'discussed', at: '2026-11-21T03:00:00.000Z' }),
        validMatterStep({ id: 's4', action: 'apportion', from: 'decided', to: 'decided', at: '2026-11-22T03:00:00.000Z' }),
      ],
      meetings: [
        validMeeting({
          parties: [
            ...[1, 2, 3, 4, 5].map((i) => ({ kind: 'household' as const, householdId: hh(i), present: true })),
            { kind: 'household' as const, householdId: hh(6), present: false },
            { kind: 'owners_committee' as const, present: true },
            { kind: 'property' as const, present: false },
            { kind: 'unit' as const, resourceId: validResource().id, present: true },
            { kind: 'other' as const, name: '李师傅', present: true },
          ],
          minutes: '王建国说……',
        }),
        validMeeting({ id: 'm2', day: '2026-11-10', parties: [{ kind: 'household', householdId: hh(1), present: true }] }),
      ],
    })
    // China time: 16:30 UTC on the 21st is the 22nd.
    expect(m!.steps).toEqual([
      { to: 'raised', day: '2026-11-21' },
      { to: 'discussed', day: '2026-11-21' },
      { to: 'decided', day: '2026-11-22' },
    ])
    expect(m!.meetings.map((x) => x.day)).toEqual(['2026-11-10', '2026-11-20'])
    expect(m!.meetings[0]!.households).toBeNull()
    expect(m!.meetings[1]).toEqual({ day: '2026-11-20', time: '19:00', place: '邻里议事厅', households: 5, sides: [{ kind: 'owners_committee', name: null }, { kind: 'unit', name: '幸福里长者食堂' }, { kind: 'other', name: null }] })
    expect(m!.decision).toEqual({ kind: 'resolution', text: '同意加装，按楼层分摊' })
    expect(m!.publicity).toEqual({ startDay: '2026-11-22', endDay: '2026-11-28' })
    expect(m!.scope).toBe('幸福里小区3号楼2单元')
    expect(JSON.stringify(m)).not.toMatch(/王书记|王建国|李师傅|担心采光/)
  })

  it('a vote decision is said by the vote’s title; the whole community is 全社区', () => {
    const vote = validCampaign({ kind: 'vote', title: '3号楼2单元加装电梯表决' })
    const [m] = publicMatters({ ...base, campaigns: [vote], matters: [validMatter({ scope: { kind: 'community' }, stage: 'decided', decision: { kind: 'vote', campaignId: vote.id }, publicity: { startDay: '2026-11-22', endDay: '2026-11-28' } })] })
    expect(m!.decision).toEqual({ kind: 'vote', text: '3号楼2单元加装电梯表决' })
    expect(m!.scope).toBe('全社区')
    expect(matterScopeLabel({ kind: 'compound', compound: '教师新村' }, buildings)).toBe('教师新村')
  })

  it('funding as totals, corrections folded in; none when fewer households than the smallest count paid or owe', () => {
    const shares = [1, 2, 3, 4, 5].map((i) => entry({ kind: 'share', householdId: hh(i), amount: 20_000_00 }, i))
    const paid = [1, 2, 3, 4].map((i) => entry({ kind: 'contribution', householdId: hh(i), amount: 20_000_00 }, 10 + i))
    const ledger = [
      ...shares,
      ...paid,
      entry({ kind: 'subsidy', source: '区住建局加装电梯补贴', amount: 200_000_00 }, 20),
      entry({ kind: 'expense', what: '设计费', amount: 30_000_00, photoIds: ['a'.repeat(64)] }, 21),
      entry({ kind: 'correction', correctsId: 'e21', amount: -5_000_00, note: '发票金额' }, 22),
    ]
    const [m] = publicMatters({ ...base, matters: [validMatter({ budget: 300_000_00 })], ledgerEntries: ledger })
    expect(m!.funding).toEqual({ shares: 100_000_00, contributions: 80_000_00, subsidies: 200_000_00, otherIncome: 0, expenses: 25_000_00, balance: 255_000_00, households: 5 })
    expect(m!.budget).toBe(300_000_00)
    const [small] = publicMatters({ ...base, matters: [validMatter()], ledgerEntries: ledger.slice(0, 4) })
    expect(small!.funding).toBeNull()
    const [subsidyOnly] = publicMatters({ ...base, matters: [validMatter()], ledgerEntries: [ledger.at(-3)!] })
    expect(subsidyOnly!.funding).toMatchObject({ subsidies: 200_000_00, households: null })
    const [nothing] = publicMatters({ ...base, matters: [validMatter()], ledgerEntries: [] })
    expect(nothing!.funding).toBeNull()
  })

  it('open matters first, the furthest along first; then the ended ones', () => {
    const list = publicMatters({
      ...base,
      matters: [
        validMatter({ id: 'a', title: '已评议', stage: 'judged', evaluation: '满意' }),
        validMatter({ id: 'b', title: '刚提出', stage: 'raised' }),
        validMatter({ id: 'c', title: '已放弃', stage: 'dropped', endReason: '表决未通过' }),
        validMatter({ id: 'd', title: '已办结', stage: 'done' }),
      ],
    })
    expect(list.map((m) => m.title)).toEqual(['已办结', '刚提出', '已评议', '已放弃'])
    expect(list[3]!.endReason).toBe('表决未通过')
  })
})

const now = new Date('2026-12-01T17:00:00.000Z') // 2026-12-02 01:00 in China

describe('notices (公告)', () => {
  it('are shown from their first day through their last, China time, the latest first; a withdrawn one never', () => {
    const shown = publicNotices(
      [
        validNotice({ id: 'a', title: '旧通知', fromDay: '2026-11-01', untilDay: null }),
        validNotice({ id: 'b', title: '今天开始', fromDay: '2026-12-02', untilDay: '2026-12-02' }),
        validNotice({ id: 'c', title: '昨天结束', fromDay: '2026-11-20', untilDay: '2026-12-01' }),
        validNotice({ id: 'd', title: '明天开始', fromDay: '2026-12-03', untilDay: null }),
        validNotice({ id: 'e', title: '已撤下', fromDay: '2026-11-01', untilDay: null, withdrawn: true }),
      ],
      now,
    )
    expect(shown.map((n) => n.title)).toEqual(['今天开始', '旧通知'])
  })

  it('carry their words, kind, place and days, and not who wrote them or when', () => {
    const [n] = publicNotices([validNotice({ compound: '幸福里小区', fromDay: '2026-11-20', untilDay: '2026-12-20' })], now)
    expect(n).toEqual({ title: validNotice().title, body: validNotice().body, category: 'affairs', compound: '幸福里小区', fromDay: '2026-11-20', untilDay: '2026-12-20' })
  })
})

describe('a compound’s board', () => {
  it('knows the compound of a place: its own, its building’s, or none for the community', () => {
    expect(compoundOf({ kind: 'community' }, buildings)).toBeNull()
    expect(compoundOf({ kind: 'compound', compound: '教师新村' }, buildings)).toBe('教师新村')
    expect(compoundOf({ kind: 'unit', buildingId: ids.building, unit: '2' }, buildings)).toBe('幸福里小区')
    expect(compoundOf({ kind: 'building', buildingId: ids.case }, buildings)).toBeNull()
  })

  it('lists each compound once, in Chinese order', () => {
    const page = publicCommunity({ community: '幸福里社区', minHouseholds: 5, now, resources: [], projects: [], campaigns: [], buildings: [...buildings, { id: ids.case, compound: '教师新村', number: '1幢' }, { id: ids.need, compound: '幸福里小区', number: '5号楼' }] })
    expect(page.compounds).toEqual(['教师新村', '幸福里小区'])
  })
})

describe('personal data in a text for the public page', () => {
  const names = ['张伟', '李', '欧阳娜娜']
  it('finds a mobile number, an ID number and a resident’s full name, and says which', () => {
    expect(personalDataIn('有事请打13912345678', names)).toMatch(/手机号码（139…）/)
    expect(personalDataIn('身份证 33010619800101123X 已登记', names)).toMatch(/身份证号码/)
    expect(personalDataIn('感谢欧阳娜娜捐款', names)).toMatch(/「欧阳娜娜」/)
    expect(personalDataIn('张伟家门口的路灯已修好', names)).toMatch(/「张伟」/)
  })

  it('lets the community’s landline, dates, amounts and a one-character name through', () => {
    expect(personalDataIn('咨询电话 0571-87000000，12月5日起，每户200元，李先生负责', names)).toBeNull()
    expect(personalDataIn('合计 123456789012 分', names), 'twelve digits are no phone').toBeNull()
    expect(personalDataIn('编号 113912345678', names), 'a longer number is no phone').toBeNull()
  })
})

describe('民评 on the public page', () => {
  const survey = (answered: number, over: Partial<Campaign> = {}): Campaign =>
    validCampaign({
      id: ids.campaign,
      kind: 'consultation',
      status: 'closed',
      closedAt: '2026-11-25T10:00:00.000Z',
      results: {
        at: '2026-11-25T10:00:00.000Z',
        progress: {} as CampaignFigures['progress'],
        answeredHouseholds: answered,
        hazardHouseholds: 0,
        vote: null,
        items: [
          { itemId: 'ok', label: '对电梯是否满意', kind: 'choice', answered, number: null, options: [{ value: '满意', label: '满意', count: answered - 1, share: 0.9, hazard: false }, { value: '不满意', label: '不满意', count: 1, share: 0.1, hazard: false }] },
          { itemId: 'say', label: '其他意见', kind: 'text', answered: 2, number: null, options: [] },
          { itemId: 'n', label: '每月使用次数', kind: 'number', answered, number: { min: 1, max: 60, mean: 20, sum: 200 }, options: [] },
        ],
      },
      ...over,
    })
  const matter = validMatter({ stage: 'judged', satisfactionCampaignId: ids.campaign })
  const base = { resources: [], projects: [], buildings, minHouseholds: 5, community: '幸福里社区', now: new Date() }

  it('shows a closed satisfaction survey’s counts of its choice questions, never its free text or numbers', () => {
    const [m] = publicMatters({ ...base, campaigns: [survey(10)], matters: [matter] })
    expect(m!.satisfaction).toEqual({ households: 10, items: [{ label: '对电梯是否满意', options: [{ label: '满意', count: 9 }, { label: '不满意', count: 1 }] }] })
  })

  it('shows nothing while it runs, or when fewer households than the smallest count answered', () => {
    expect(publicMatters({ ...base, campaigns: [survey(10, { status: 'launched' })], matters: [matter] })[0]!.satisfaction).toBeNull()
    expect(publicMatters({ ...base, campaigns: [survey(4)], matters: [matter] })[0]!.satisfaction).toBeNull()
    expect(publicMatters({ ...base, campaigns: [survey(5)], matters: [matter] })[0]!.satisfaction).not.toBeNull()
    expect(publicMatters({ ...base, campaigns: [], matters: [validMatter({ stage: 'judged' })] })[0]!.satisfaction).toBeNull()
  })
})

describe('the office’s free text on the public page', () => {
  const names = new NameFinder(['张伟', '欧阳娜娜', '欧阳', '李'])
  it('goes out with a resident’s name masked, the longest name first, and no mobile or ID number', () => {
    expect(scrubPersonal('张伟家和欧阳娜娜家的漏水，电话13912345678，证件33010619800101123X', names)).toBe('张*家和欧**娜家的漏水，电话（号码不公开），证件（证件号不公开）')
    expect(scrubPersonal('李先生说，咨询 0571-87000000', names), 'one character, a landline: as written').toBe('李先生说，咨询 0571-87000000')
  })

  it('is masked wherever the office typed it on the whole page, and the places and codes are left as they are', () => {
    const page = publicCommunity({
      community: '幸福里社区',
      minHouseholds: 5,
      now: new Date('2026-12-01T08:00:00.000Z'),
      resources: [],
      projects: [validProject({ title: '张伟家门前道路修缮', summary: '联系欧阳娜娜' })],
      campaigns: [],
      buildings,
      matters: [validMatter({ title: '张伟家楼上漏水', raisedByName: '欧阳娜娜', scope: { kind: 'building', buildingId: ids.building } })],
      notices: [validNotice({ title: '通知', body: '找张伟', fromDay: '2026-11-01', untilDay: null })],
      residentNames: ['张伟', '欧阳娜娜'],
    })
    expect(JSON.stringify(page)).not.toMatch(/张伟|欧阳娜娜/)
    expect(page.matters[0]).toMatchObject({ title: '张*家楼上漏水', raisedBy: '欧**娜', scope: '幸福里小区3号楼', stage: 'raised' })
    expect(page.projects[0]).toMatchObject({ title: '张*家门前道路修缮', summary: '联系欧**娜' })
    expect(page.notices[0]!.body).toBe('找张*')
    expect(page.compounds).toEqual(['幸福里小区'])
  })
})
