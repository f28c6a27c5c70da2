import { describe, expect, it } from 'vitest'
import {
  applyNeedAction,
  availableNeedActions,
  availableProjectActions,
  checkNeedTransition,
  checkProjectTransition,
  checkServiceTransition,
  joinProject,
  leaveProject,
  meetByProject,
  metByCompletion,
  Need,
  NEED_STATUSES,
  type NeedStatus,
  PROJECT_STATUSES,
  type ProjectStatus,
  whyNotEdit,
  whyNotJoin,
} from '../../src/domain'
import { ids, validNeed, validProject } from '../support/fixtures'

const NOW = '2026-11-21T08:00:00.000Z'
const input = (over: Partial<{ note: string; resourceId: string | null }> = {}) => ({ note: '', resourceId: null, ...over })

describe('a need: who moves it from where', () => {
  it('only the office moves a need; the worker who recorded it is refused in words, whatever its state', () => {
    for (const status of NEED_STATUSES) {
      expect(availableNeedActions(status, 'worker')).toEqual([])
      const c = checkNeedTransition(status, 'meet', 'worker', input())
      expect(c).toMatchObject({ ok: false, code: 'FORBIDDEN' })
      expect(!c.ok && c.message).toContain('社区书记或管理员')
    }
    expect(availableNeedActions('open', null)).toEqual([])
  })

  it('offers the office exactly the moves of each state', () => {
    const offered: Record<NeedStatus, string[]> = { open: ['match', 'meet', 'close'], matched: ['match', 'meet', 'close'], met: ['reopen'], closed: ['reopen'] }
    for (const status of NEED_STATUSES) expect(availableNeedActions(status, 'office'), status).toEqual(offered[status])
  })

  it('refuses a move its state does not allow, saying from where it could', () => {
    const c = checkNeedTransition('met', 'match', 'office', input({ resourceId: ids.resource }))
    expect(c).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: '需求现在是「已解决」，不能「对接资源」（只能从「待对接」、「已对接」）' })
    expect(checkNeedTransition('open', 'reopen', 'office', input())).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
  })

  it('a match needs a resource and a close needs its reason', () => {
    expect(checkNeedTransition('open', 'match', 'office', input())).toEqual({ ok: false, code: 'VALIDATION_FAILED', message: '对接时要选一项资源' })
    expect(checkNeedTransition('open', 'match', 'office', input({ resourceId: ids.resource }))).toEqual({ ok: true, to: 'matched' })
    expect(checkNeedTransition('matched', 'close', 'office', input({ note: '  ' }))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: '标记无法解决要写明原因' })
    expect(checkNeedTransition('matched', 'close', 'office', input({ note: '住户已搬走' }))).toEqual({ ok: true, to: 'closed' })
  })

  it('each move leaves a record the schema accepts, with its dates; re-matching keeps the first match time', () => {
    const open = validNeed()
    const matched = applyNeedAction(open, 'match', { note: '', resourceId: ids.resource, dueAt: '2026-11-28T08:00:00.000Z' }, NOW)
    expect(matched).toMatchObject({ status: 'matched', resourceId: ids.resource, matchedAt: NOW, dueAt: '2026-11-28T08:00:00.000Z', updatedAt: NOW })
    const again = applyNeedAction(matched, 'match', { note: '', resourceId: ids.offer, dueAt: null }, '2026-11-22T08:00:00.000Z')
    expect(again).toMatchObject({ resourceId: ids.offer, matchedAt: NOW })
    const met = applyNeedAction(again, 'meet', { note: '已安排每周一三五送餐', resourceId: null, dueAt: null }, '2026-11-25T08:00:00.000Z')
    expect(met).toMatchObject({ status: 'met', metAt: '2026-11-25T08:00:00.000Z', metNote: '已安排每周一三五送餐', resourceId: ids.offer })
    const closed = applyNeedAction(open, 'close', { note: ' 住户已搬走 ', resourceId: null, dueAt: null }, NOW)
    expect(closed).toMatchObject({ status: 'closed', closedAt: NOW, closeReason: '住户已搬走' })
    const reopened = applyNeedAction({ ...met, projectId: ids.project }, 'reopen', { note: '', resourceId: null, dueAt: null }, NOW)
    expect(reopened).toMatchObject({ status: 'open', resourceId: null, projectId: null, matchedAt: null, metAt: null, metNote: null, dueAt: null })
    for (const n of [matched, again, met, closed, reopened]) expect(Need.safeParse(n).success, n.status).toBe(true)
  })
})

describe('a need and its project', () => {
  it('joining matches an open need to the project’s first resource; a matched one keeps its resource', () => {
    const p = validProject({ resourceIds: [ids.resource] })
    expect(joinProject(validNeed(), p, NOW)).toMatchObject({ status: 'matched', projectId: p.id, resourceId: ids.resource, matchedAt: NOW })
    const matched = validNeed({ status: 'matched', resourceId: ids.offer, matchedAt: '2026-11-20T09:00:00.000Z' })
    expect(joinProject(matched, p, NOW)).toMatchObject({ status: 'matched', projectId: p.id, resourceId: ids.offer, matchedAt: '2026-11-20T09:00:00.000Z' })
    // A project with no resource yet matches it all the same (已对接 to the project).
    const noResource = joinProject(validNeed(), validProject({ resourceIds: [] }), NOW)
    expect(noResource).toMatchObject({ status: 'matched', resourceId: null, projectId: ids.project })
    expect(Need.safeParse(noResource).success).toBe(true)
  })

  it('a need met, closed or in another project may not join, and the reason names it', () => {
    const p = validProject()
    expect(whyNotJoin(validNeed(), p, () => '')).toBeNull()
    expect(whyNotJoin(validNeed({ status: 'met', metAt: NOW }), p, () => '')).toContain('已经是「已解决」')
    expect(whyNotJoin(validNeed({ status: 'matched', projectId: ids.campaign, matchedAt: NOW }), p, () => '幸福食堂')).toContain('已经在项目「幸福食堂」里')
    expect(whyNotJoin(validNeed({ status: 'matched', projectId: p.id, matchedAt: NOW }), p, () => '')).toBeNull()
  })

  it('leaving a project reopens a need only the project had matched', () => {
    const viaProject = joinProject(validNeed(), validProject({ resourceIds: [] }), NOW)
    expect(leaveProject(viaProject, NOW)).toMatchObject({ status: 'open', projectId: null, matchedAt: null })
    const withResource = joinProject(validNeed(), validProject(), NOW)
    expect(leaveProject(withResource, NOW)).toMatchObject({ status: 'matched', projectId: null, resourceId: ids.resource })
  })

  it('completion meets exactly the needs still open or matched', () => {
    const needs = NEED_STATUSES.map((status, i) =>
      validNeed({ id: `0190a000-0000-7000-8000-0000000001${i}0`, status, matchedAt: status === 'matched' ? NOW : null, resourceId: status === 'matched' ? ids.resource : null, metAt: status === 'met' ? NOW : null, closedAt: status === 'closed' ? NOW : null, closeReason: status === 'closed' ? '已搬走' : null }),
    )
    expect(metByCompletion(needs).map((n) => n.status)).toEqual(['open', 'matched'])
    const met = meetByProject(needs[1]!, validProject({ title: '老年助餐点' }), NOW)
    expect(met).toMatchObject({ status: 'met', metAt: NOW, metNote: '项目「老年助餐点」完成' })
    expect(Need.safeParse(met).success).toBe(true)
  })
})

describe('a project: 策划 → 实施 → 完成 → 评价', () => {
  it('moves one stage at a time, forward only, by the office', () => {
    const next: Record<ProjectStatus, string[]> = { planning: ['start'], doing: ['complete'], done: ['evaluate'], evaluated: [] }
    for (const s of PROJECT_STATUSES) {
      expect(availableProjectActions(s, 'office'), s).toEqual(next[s])
      expect(availableProjectActions(s, 'worker')).toEqual([])
    }
    expect(checkProjectTransition('planning', 'complete', 'office', {})).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', message: '项目现在是「策划」，不能「完成」（只能从「实施」）' })
    expect(checkProjectTransition('doing', 'complete', 'worker', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(checkProjectTransition('doing', 'complete', 'office', {})).toEqual({ ok: true, to: 'done' })
  })

  it('an evaluation must say what residents thought', () => {
    expect(checkProjectTransition('done', 'evaluate', 'office', { evaluation: ' ' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    expect(checkProjectTransition('done', 'evaluate', 'office', { evaluation: '满意34户' })).toEqual({ ok: true, to: 'evaluated' })
  })

  it('what may be edited at each stage', () => {
    const planning = validProject({ needIds: [ids.need, ids.visit] })
    expect(whyNotEdit(planning, { needIds: [ids.need] })).toBeNull()
    expect(whyNotEdit({ ...planning, status: 'doing' }, { needIds: [ids.need, ids.visit, ids.case] })).toBeNull()
    expect(whyNotEdit({ ...planning, status: 'doing' }, { needIds: [ids.need] })).toContain('需求只能增加不能移出')
    expect(whyNotEdit({ ...planning, status: 'done' }, { summary: '开了两个助餐点' })).toBeNull()
    expect(whyNotEdit({ ...planning, status: 'done' }, { resourceIds: [] })).toContain('需求和资源不能再改')
    expect(whyNotEdit({ ...planning, status: 'evaluated' }, { summary: '改' })).toContain('已经评价')
  })
})

describe('a volunteer’s service record', () => {
  it('is confirmed or rejected once, by the office; a rejection says why', () => {
    expect(checkServiceTransition('recorded', 'confirm', 'office', { note: '' })).toEqual({ ok: true, to: 'confirmed' })
    expect(checkServiceTransition('confirmed', 'confirm', 'office', { note: '' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect(checkServiceTransition('rejected', 'confirm', 'office', { note: '' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect(checkServiceTransition('recorded', 'reject', 'office', { note: '' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: '不予确认要写明原因' })
    expect(checkServiceTransition('recorded', 'confirm', 'worker', { note: '' })).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })
})
