import { describe, expect, it } from 'vitest'
import type { ChecklistItem } from '../../src/domain'
import { familyChangeIn, familyChangeOf, householdHeadName, isPresent, memberNames, residentStatusProblem } from '../../src/domain'
import { DEFAULT_TEMPLATES_ZH } from '../../src/domain/defaultTemplates'
import { validResident } from '../support/fixtures'

// Who lives in a household: those who moved out or died stay on the register but neither name
// the household in lists nor find it in a search.

const head = validResident({ name: '王建国', relation: 'head' })
const spouse = validResident({ name: '李秀英', relation: 'spouse', sex: 'F' })
const son = validResident({ name: '王磊', relation: 'child', birthYear: 1978 })
const gone = (r: typeof head, status: 'moved_out' | 'deceased') => ({ ...r, status, statusDate: '2026-11-03' })

describe('members of a household', () => {
  it('a resident without a status (recorded before it existed) lives there', () => {
    expect(isPresent({})).toBe(true)
    expect(isPresent({ status: 'present' })).toBe(true)
    expect(isPresent({ status: 'moved_out' })).toBe(false)
    expect(isPresent({ status: 'deceased' })).toBe(false)
  })

  it('lists name the household by its head while they live there, else the next by relation', () => {
    expect(householdHeadName([son, spouse, head])).toBe('王建国')
    expect(householdHeadName([son, gone(head, 'deceased'), spouse])).toBe('李秀英')
    expect(householdHeadName([gone(head, 'moved_out'), gone(spouse, 'deceased'), son])).toBe('王磊')
  })

  it('when nobody lives there any more, by the head it had; no residents, no name', () => {
    expect(householdHeadName([gone(son, 'moved_out'), gone(head, 'moved_out')])).toBe('王建国')
    expect(householdHeadName([])).toBe('')
  })

  it('is found by the names of those living there only', () => {
    expect(memberNames([head, gone(spouse, 'deceased'), son])).toEqual(['王建国', '王磊'])
  })
})

describe('a resident’s status holds together', () => {
  const today = '2026-11-21'
  it('living there: no day, no destination', () => {
    expect(residentStatusProblem(head, today)).toBeNull()
    expect(residentStatusProblem({ ...head, statusDate: '2026-11-03' }, today)).toBe('在住的居民没有迁出或去世日期')
    expect(residentStatusProblem({ ...head, movedTo: '杭州' }, today)).toBe('在住的居民没有迁出或去世日期')
  })

  it('迁出 and 去世 need their day, not after today nor before the birth year', () => {
    expect(residentStatusProblem({ ...head, status: 'moved_out', statusDate: null }, today)).toBe('请填写迁出日期')
    expect(residentStatusProblem({ ...head, status: 'deceased', statusDate: null }, today)).toBe('请填写去世日期')
    expect(residentStatusProblem({ ...head, status: 'moved_out', statusDate: '2026-11-22' }, today)).toBe('日期不能晚于今天')
    expect(residentStatusProblem({ ...head, status: 'moved_out', statusDate: today, movedTo: '杭州市西湖区' }, today)).toBeNull()
    expect(residentStatusProblem({ ...head, status: 'moved_out', statusDate: today }, today)).toBeNull()
    expect(residentStatusProblem({ ...head, status: 'deceased', statusDate: '1949-12-31' }, today)).toBe('日期早于出生年份')
  })

  it('someone who died has no destination', () => {
    expect(residentStatusProblem({ ...head, status: 'deceased', statusDate: today, movedTo: '杭州' }, today)).toBe('去世的居民没有去向')
  })
})

describe('a checklist that says the family changed', () => {
  const routine = DEFAULT_TEMPLATES_ZH.find((t) => t.code === 'routine')!
  const item = routine.items.find((i) => i.label === '家庭成员有无变化')!

  it('the default 日常走访: 新增, 迁出, 去世 each name their change; 无变化 is none', () => {
    expect(familyChangeOf(item, '无变化')).toBeNull()
    expect(familyChangeOf(item, '新增')).toBe('added')
    expect(familyChangeOf(item, '迁出')).toBe('moved_out')
    expect(familyChangeOf(item, '去世')).toBe('deceased')
    expect(familyChangeOf(item, undefined)).toBeNull()
    expect(familyChangeIn(routine, { members_changed: '迁出', contact_verified: true })).toBe('moved_out')
    expect(familyChangeIn(routine, { members_changed: '无变化', contact_verified: true })).toBeNull()
    expect(familyChangeIn(null, {})).toBeNull()
  })

  it('an admin’s own template: a yes/no item by its words, a choice other than the first', () => {
    const yesno: ChecklistItem = { id: 'q1', label: '家庭成员是否有变化', kind: 'yesno', required: false }
    expect(familyChangeOf(yesno, true)).toBe('changed')
    expect(familyChangeOf(yesno, false)).toBeNull()
    const choice: ChecklistItem = { id: 'q2', label: '家庭人口变动', kind: 'choice', options: ['没有', '有人搬走', '其他'], required: false }
    expect(familyChangeOf(choice, '没有')).toBeNull()
    expect(familyChangeOf(choice, '有人搬走')).toBe('moved_out')
    expect(familyChangeOf(choice, '其他')).toBe('changed')
    const text: ChecklistItem = { id: 'q3', label: '家庭成员变化情况', kind: 'text', required: false }
    expect(familyChangeOf(text, '没有新增')).toBeNull()
    expect(familyChangeOf(text, '孙子出生了')).toBe('added')
    expect(familyChangeOf(text, '一切照旧')).toBeNull()
    // Another question entirely is not about the family, whatever its answer.
    expect(familyChangeOf({ id: 'hazard', label: '安全隐患', kind: 'yesno', required: false }, true)).toBeNull()
  })
})
