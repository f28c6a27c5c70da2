import { describe, expect, it } from 'vitest'
import { ChecklistTemplate, checkAnswers } from '../../src/domain'
import { messagesOf, validTemplate } from './fixtures'

describe('ChecklistTemplate', () => {
  it('accepts a template; required defaults to false', () => {
    const t = ChecklistTemplate.parse({ ...validTemplate(), items: [{ id: 'ok', label: '一切正常', kind: 'yesno' }] })
    expect(t.items[0]!.required).toBe(false)
  })

  it('rejects a template with no items, a choice with one option and an unknown kind', () => {
    expect(ChecklistTemplate.safeParse(validTemplate({ items: [] })).success).toBe(false)
    expect(ChecklistTemplate.safeParse({ ...validTemplate(), items: [{ id: 'c', label: '选', kind: 'choice', options: ['只有一个'] }] }).success).toBe(false)
    expect(ChecklistTemplate.safeParse({ ...validTemplate(), items: [{ id: 'd', label: '日期', kind: 'date' }] }).success).toBe(false)
  })

  it('rejects version 0 and a bad id', () => {
    expect(ChecklistTemplate.safeParse(validTemplate({ version: 0 })).success).toBe(false)
    expect(messagesOf(ChecklistTemplate.safeParse(validTemplate({ id: 'routine' })))).toContain('编号格式不对 (expected a UUID)')
  })
})

describe('checkAnswers', () => {
  const t = validTemplate()

  it('finds nothing wrong with the required answers alone, or with every item answered', () => {
    expect(checkAnswers(t, { safe: false, health: '差' })).toEqual([])
    expect(checkAnswers(t, { safe: true, health: '好', people: 3, other: '门口堆了杂物' })).toEqual([])
  })

  it('names each unanswered required item; an empty string counts as unanswered', () => {
    expect(checkAnswers(t, {})).toEqual([
      { itemId: 'safe', message: '「居住安全」必须填写' },
      { itemId: 'health', message: '「身体状况」必须填写' },
    ])
    expect(checkAnswers(t, { safe: true, health: '' })).toEqual([{ itemId: 'health', message: '「身体状况」必须填写' }])
  })

  it('reports an answer to an item the checklist does not have', () => {
    expect(checkAnswers(t, { safe: true, health: '好', pets: '一只猫' })).toEqual([{ itemId: 'pets', message: '清单里没有这一项 (pets)' }])
  })

  it('reports answers of the wrong kind', () => {
    expect(checkAnswers(t, { safe: '是', health: '好', people: '三', other: 5 }).map((p) => p.message)).toEqual([
      '「居住安全」应选 是/否',
      '「在住人数」应填数字',
      '「其他情况」应填文字',
    ])
  })

  it('reports a choice that is not one of the options', () => {
    expect(checkAnswers(t, { safe: true, health: '很好' })).toEqual([{ itemId: 'health', message: '「身体状况」的选项不在清单里' }])
  })

  it('checks a number against min and max, both inclusive', () => {
    expect(checkAnswers(t, { safe: true, health: '好', people: 0 })).toEqual([])
    expect(checkAnswers(t, { safe: true, health: '好', people: 20 })).toEqual([])
    expect(checkAnswers(t, { safe: true, health: '好', people: -1 })).toEqual([{ itemId: 'people', message: '「在住人数」超出范围' }])
    expect(checkAnswers(t, { safe: true, health: '好', people: 21 })).toEqual([{ itemId: 'people', message: '「在住人数」超出范围' }])
    expect(checkAnswers(t, { safe: true, health: '好', people: Number.NaN })).toEqual([{ itemId: 'people', message: '「在住人数」应填数字' }])
  })
})
