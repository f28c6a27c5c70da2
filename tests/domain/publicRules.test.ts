import { describe, expect, it } from 'vitest'
import type { Campaign, CampaignFigures } from '../../src/domain'
import { MAJOR_MATTER, tallyVote, type VoteAnswer } from '../../src/domain/voteRules'
import { publicCommunity, publicMenu, publicProjects, publicVotes, scopeLabel, shownCount } from '../../src/domain/publicRules'
import { ids, validCampaign, validOffer, validProject, validResource, validVolunteer } from './fixtures'

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
  expect(page).toEqual({ community: '幸福里社区', generatedAt: '2026-12-01T08:00:00.000Z', minHouseholds: 7, menu: [], projects: [], votes: [] })
})
