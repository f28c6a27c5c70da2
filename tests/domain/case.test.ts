import { describe, expect, it } from 'vitest'
import { Case, CaseCategory, CaseReport, CaseStep, CaseTransition, CATEGORIES, CATEGORY_LABEL_ZH, Comment, CommentCreate, KIND_LABEL_ZH, Sha256, Team } from '../../src/domain'
import { ids, photoId, validCase, validCaseReport, validCaseStep, validComment, validTeam, validTransition } from '../support/fixtures'
import { messagesOf } from './messagesOf'

describe('case kinds and categories', () => {
  it('offers the categories of domain.md for each kind', () => {
    const zh = (k: keyof typeof CATEGORIES) => CATEGORIES[k].map((c) => CATEGORY_LABEL_ZH[c])
    expect(KIND_LABEL_ZH).toEqual({ dispute: '矛盾纠纷', need: '民情诉求', hazard: '安全隐患' })
    expect(zh('dispute')).toEqual(['邻里纠纷', '家庭婚姻', '物业管理', '劳资纠纷', '房屋宅基地', '征地拆迁', '医患纠纷', '消费纠纷', '其他'])
    expect(zh('need')).toEqual(['养老服务', '医疗健康', '就业', '救助帮扶', '维修', '环境卫生', '停车', '加装电梯', '法律咨询', '心理疏导', '其他'])
    expect(zh('hazard')).toEqual(['消防', '燃气', '用电', '房屋结构', '治安', '其他'])
  })

  it('accepts every category of every kind, and each only with its own kind', () => {
    for (const kind of ['dispute', 'need', 'hazard'] as const)
      for (const category of CATEGORIES[kind]) {
        expect(CaseCategory.safeParse(category).success, category).toBe(true)
        expect(CaseReport.safeParse(validCaseReport({ kind, category })).success, `${kind}/${category}`).toBe(true)
      }
    const r = CaseReport.safeParse(validCaseReport({ kind: 'dispute', category: 'fire' }))
    expect(messagesOf(r)).toEqual(['类别和问题种类对不上'])
    expect(r.error!.issues[0]!.path).toEqual(['category'])
    expect(messagesOf(Case.safeParse(validCase({ kind: 'need', category: 'neighbor' })))).toEqual(['类别和问题种类对不上'])
    expect(CaseCategory.safeParse('weather').success).toBe(false)
  })
})

describe('CaseReport', () => {
  it('accepts a report, trimming its texts', () => {
    const r = CaseReport.parse(validCaseReport({ title: '  楼道堆物 ', description: ' 一楼 ', place: ' 3号楼 ' }))
    expect([r.title, r.description, r.place]).toEqual(['楼道堆物', '一楼', '3号楼'])
  })

  it('a title of 1 to 60 characters after trimming', () => {
    expect(CaseReport.safeParse(validCaseReport({ title: '漏' })).success).toBe(true)
    expect(CaseReport.safeParse(validCaseReport({ title: ` ${'漏'.repeat(60)} ` })).success).toBe(true)
    expect(messagesOf(CaseReport.safeParse(validCaseReport({ title: '   ' })))).toEqual(['请写一个标题'])
    expect(messagesOf(CaseReport.safeParse(validCaseReport({ title: '漏'.repeat(61) })))).toEqual(['标题最多60字'])
  })

  it('a description of up to 2000 characters, and may be empty', () => {
    expect(CaseReport.safeParse(validCaseReport({ description: '' })).success).toBe(true)
    expect(CaseReport.safeParse(validCaseReport({ description: '说'.repeat(2000) })).success).toBe(true)
    expect(messagesOf(CaseReport.safeParse(validCaseReport({ description: '说'.repeat(2001) })))).toEqual(['情况说明最多2000字'])
  })

  it('a place of up to 100 characters', () => {
    expect(CaseReport.safeParse(validCaseReport({ place: '处'.repeat(100) })).success).toBe(true)
    expect(CaseReport.safeParse(validCaseReport({ place: '处'.repeat(101) })).success).toBe(false)
  })

  it('up to 20 households, 50 residents and 9 photos', () => {
    const many = (n: number) => Array.from({ length: n }, () => ids.household)
    expect(CaseReport.safeParse(validCaseReport({ householdIds: many(20), residentIds: many(50) })).success).toBe(true)
    expect(CaseReport.safeParse(validCaseReport({ householdIds: many(21) })).success).toBe(false)
    expect(CaseReport.safeParse(validCaseReport({ residentIds: many(51) })).success).toBe(false)
    const photos = (n: number) => Array.from({ length: n }, (_, i) => photoId(i + 1))
    expect(CaseReport.safeParse(validCaseReport({ photoIds: photos(9) })).success).toBe(true)
    expect(messagesOf(CaseReport.safeParse(validCaseReport({ photoIds: photos(10) })))).toEqual(['最多9张照片'])
  })

  it('urgency red, yellow or blue; a location is a point or nothing', () => {
    for (const urgency of ['red', 'yellow', 'blue'] as const) expect(CaseReport.safeParse(validCaseReport({ urgency })).success, urgency).toBe(true)
    expect(CaseReport.safeParse({ ...validCaseReport(), urgency: 'orange' }).success).toBe(false)
    expect(CaseReport.safeParse(validCaseReport({ location: { lat: 36.15, lng: 117.15, accuracy: 8, source: 'gps' } })).success).toBe(true)
  })
})

describe('photo ids', () => {
  it('are 64 lower-case hex characters', () => {
    expect(Sha256.safeParse('0123456789abcdef'.repeat(4)).success).toBe(true)
    expect(messagesOf(Sha256.safeParse('0123456789ABCDEF'.repeat(4)))).toEqual(['照片编号格式不对'])
    expect(Sha256.safeParse('a'.repeat(63)).success).toBe(false)
    expect(Sha256.safeParse('a'.repeat(65)).success).toBe(false)
    expect(Sha256.safeParse(`g${'a'.repeat(63)}`).success).toBe(false)
    expect(Sha256.safeParse(` ${'a'.repeat(64)}`).success).toBe(false)
  })
})

describe('Case', () => {
  it('is a report with its state, handler, deadline and last change', () => {
    expect(Case.safeParse(validCase()).success).toBe(true)
    expect(Case.safeParse(validCase({ state: 'assigned', handlerTeamId: ids.team, deadline: '2026-11-28T09:00:00.000Z' })).success).toBe(true)
    expect(Case.safeParse({ ...validCase(), state: 'lost' }).success).toBe(false)
    expect(Case.safeParse({ ...validCase(), updatedAt: undefined }).success).toBe(false)
  })
})

describe('CaseStep', () => {
  it('records a step, with a note of up to 1000 characters', () => {
    expect(CaseStep.safeParse(validCaseStep()).success).toBe(true)
    expect(CaseStep.safeParse(validCaseStep({ action: 'report', from: null, to: 'reported' })).success).toBe(true)
    expect(CaseStep.safeParse(validCaseStep({ note: '记'.repeat(1000) })).success).toBe(true)
    expect(messagesOf(CaseStep.safeParse(validCaseStep({ note: '记'.repeat(1001) })))).toEqual(['说明最多1000字'])
    expect(CaseStep.parse(validCaseStep({ note: ' 已派 ' })).note).toBe('已派')
  })

  it('an actor name of up to 30 characters, up to 9 photos', () => {
    expect(CaseStep.safeParse(validCaseStep({ actorName: '名'.repeat(30) })).success).toBe(true)
    expect(CaseStep.safeParse(validCaseStep({ actorName: '名'.repeat(31) })).success).toBe(false)
    const photos = (n: number) => Array.from({ length: n }, (_, i) => photoId(i + 1))
    expect(CaseStep.safeParse(validCaseStep({ photoIds: photos(9) })).success).toBe(true)
    expect(CaseStep.safeParse(validCaseStep({ photoIds: photos(10) })).success).toBe(false)
  })
})

describe('CaseTransition', () => {
  it('fills in no team, no deadline, no visit and no photos when they are left out', () => {
    expect(CaseTransition.parse({ stepId: ids.step, action: 'accept', note: ' 收到 ', at: '2026-11-21T09:00:00.000Z' })).toEqual(validTransition({ note: '收到' }))
  })

  it('cannot report: a case is reported by creating it', () => {
    expect(CaseTransition.safeParse(validTransition({ action: 'close' })).success).toBe(true)
    expect(CaseTransition.safeParse({ ...validTransition(), action: 'report' }).success).toBe(false)
  })

  it('a note of up to 1000 characters and up to 9 photos', () => {
    expect(CaseTransition.safeParse(validTransition({ note: '记'.repeat(1000) })).success).toBe(true)
    expect(messagesOf(CaseTransition.safeParse(validTransition({ note: '记'.repeat(1001) })))).toEqual(['说明最多1000字'])
    const photos = (n: number) => Array.from({ length: n }, (_, i) => photoId(i + 1))
    expect(CaseTransition.safeParse(validTransition({ photoIds: photos(9) })).success).toBe(true)
    expect(CaseTransition.safeParse(validTransition({ photoIds: photos(10) })).success).toBe(false)
  })
})

describe('Team', () => {
  it('a team has a name of 1 to 30 characters and one of the known kinds', () => {
    for (const kind of ['mediation', 'lawyer', 'property', 'owners_committee', 'volunteer', 'street', 'grid', 'other'] as const)
      expect(Team.safeParse(validTeam({ kind })).success, kind).toBe(true)
    expect(Team.safeParse({ ...validTeam(), kind: 'police' }).success).toBe(false)
    expect(Team.safeParse(validTeam({ name: '  ' })).success).toBe(false)
    expect(Team.safeParse(validTeam({ name: '队'.repeat(30) })).success).toBe(true)
    expect(Team.safeParse(validTeam({ name: '队'.repeat(31) })).success).toBe(false)
    expect(Team.parse(validTeam({ name: ' 调解室 ' })).name).toBe('调解室')
  })
})

describe('Comment (点评)', () => {
  it('1 to 500 characters after trimming', () => {
    expect(Comment.parse(validComment({ text: ' 好 ' })).text).toBe('好')
    expect(Comment.safeParse(validComment({ text: '评'.repeat(500) })).success).toBe(true)
    expect(messagesOf(Comment.safeParse(validComment({ text: '  ' })))).toEqual(['点评不能为空'])
    expect(messagesOf(Comment.safeParse(validComment({ text: '评'.repeat(501) })))).toEqual(['点评最多500字'])
    expect(Comment.safeParse(validComment({ authorName: '名'.repeat(31) })).success).toBe(false)
  })

  it('a device sends only the comment itself: author and grid cell are the server\'s', () => {
    const { id, visitId, text, at } = validComment()
    expect(CommentCreate.parse({ ...validComment() })).toEqual({ id, visitId, text, at })
    expect(CommentCreate.safeParse({ id, visitId, text, at }).success).toBe(true)
  })
})
