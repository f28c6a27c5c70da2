import { describe, expect, it } from 'vitest'
import { caseNextBy, matterNextBy, threePartyBoard, type BoardSources } from '../../src/domain/threeParty'
import { ids, validCase, validMatter, validMeeting, validTeam } from '../support/fixtures'

// 三方议事: each compound's open cases and matters that involve 物业 or 业委会, whose turn each is.

const mediation = validTeam({ id: '0190a000-0000-7000-8000-0000000c0001', name: '调解室', kind: 'mediation' })
const committee = validTeam({ id: '0190a000-0000-7000-8000-0000000c0002', name: '业主委员会', kind: 'owners_committee' })
const sources = (over: Partial<BoardSources>): BoardSources => ({
  cases: [],
  teams: [validTeam(), mediation, committee],
  matters: [],
  meetings: [],
  compoundOfHousehold: (id) => (id === ids.household ? '幸福里小区' : '教师新村'),
  compoundOfBuilding: (id) => (id === ids.building ? '幸福里小区' : undefined),
  ...over,
})

describe('the three-party board', () => {
  it('a case handled by 物业 or 业委会, or about 物业管理, is on its compound’s list; others and closed ones are not', () => {
    const board = threePartyBoard(
      sources({
        cases: [
          validCase({ id: 'a', title: '电梯坏了', state: 'assigned', handlerTeamId: ids.team, updatedAt: '2026-11-20T02:00:00.000Z', deadline: '2026-11-27T02:00:00.000Z' }),
          validCase({ id: 'b', title: '楼道堆物', state: 'in_progress', handlerTeamId: committee.id, householdIds: ['x'] }),
          validCase({ id: 'c', title: '邻里吵架', state: 'assigned', handlerTeamId: mediation.id }),
          validCase({ id: 'd', title: '已结案的', state: 'closed', handlerTeamId: ids.team }),
        ],
      }),
    )
    expect(board.map((g) => [g.compound, g.items.map((i) => i.title)])).toEqual([
      ['教师新村', ['楼道堆物']],
      ['幸福里小区', ['电梯坏了']],
    ])
    const lift = board[1]!.items[0]!
    expect(lift).toMatchObject({ kind: 'case', involves: ['property'], nextBy: { kind: 'team', name: '物业公司', party: 'property' }, deadline: '2026-11-27T02:00:00.000Z' })
  })

  it('a case about 物业管理 involves 物业 before anyone handles it: the community’s turn', () => {
    const [g] = threePartyBoard(sources({ cases: [validCase({ id: 'e', kind: 'dispute', category: 'property', title: '物业费纠纷', state: 'reported' })] }))
    expect(g!.items[0]).toMatchObject({ title: '物业费纠纷', involves: ['property'], nextBy: { kind: 'community' } })
  })

  it('whose turn a case is, state by state', () => {
    expect(caseNextBy('reported', undefined)).toEqual({ kind: 'community' })
    expect(caseNextBy('accepted', undefined)).toEqual({ kind: 'community' })
    expect(caseNextBy('assigned', validTeam())).toEqual({ kind: 'team', name: '物业公司', party: 'property' })
    expect(caseNextBy('in_progress', mediation)).toEqual({ kind: 'team', name: '调解室', party: null })
    expect(caseNextBy('resolved', validTeam())).toEqual({ kind: 'grid_worker' })
    expect(caseNextBy('returned', undefined)).toEqual({ kind: 'grid_worker' })
    expect(caseNextBy('verified', validTeam())).toEqual({ kind: 'community' })
    expect(caseNextBy('escalated', validTeam())).toEqual({ kind: 'street' })
  })

  it('a matter whose meetings asked 物业 or 业委会 is on its place’s compound list, with the owners’ or the community’s turn', () => {
    const matter = validMatter({ stage: 'discussed' })
    const board = threePartyBoard(sources({ matters: [matter, validMatter({ id: 'n', title: '没请物业的' })], meetings: [validMeeting({ parties: [{ kind: 'property', present: false }, { kind: 'owners_committee', present: true }] })] }))
    expect(board).toEqual([{ compound: '幸福里小区', items: [expect.objectContaining({ kind: 'matter', title: matter.title, involves: ['owners_committee', 'property'], nextBy: { kind: 'owners' } })] }])
    expect(matterNextBy('raised')).toEqual({ kind: 'community' })
    expect(matterNextBy('decided')).toEqual({ kind: 'owners' })
    expect(matterNextBy('funded')).toEqual({ kind: 'community' })
    expect(matterNextBy('done')).toEqual({ kind: 'owners' })
  })

  it('an ended matter, or one of the whole community, is on no compound’s list', () => {
    const meeting = validMeeting({ parties: [{ kind: 'property', present: true }] })
    expect(threePartyBoard(sources({ matters: [validMatter({ stage: 'judged', evaluation: '满意' })], meetings: [meeting] }))).toEqual([])
    expect(threePartyBoard(sources({ matters: [validMatter({ scope: { kind: 'community' } })], meetings: [meeting] }))).toEqual([])
  })
})
