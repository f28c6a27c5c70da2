import { describe, expect, it } from 'vitest'
import { Answers, ChecklistTemplate, ChecklistTemplateCreate, ChecklistTemplatePatch, checkAnswers } from '../../src/domain'
import { messagesOf } from './messagesOf'
import { validTemplate } from '../support/fixtures'

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
  it('for a visit that reached nobody demands nothing, yet still checks what was noted', () => {
    const t = validTemplate()
    expect(checkAnswers(t, {}).length).toBeGreaterThan(0)
    expect(checkAnswers(t, {}, { required: false })).toEqual([])
    expect(checkAnswers(t, { safe: 'maybe' }, { required: false })).toHaveLength(1)
  })

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

describe('checklist templates at their bounds', () => {
  const item = (over: Record<string, unknown> = {}) => ({ id: 'safe', label: '居住安全', kind: 'yesno', ...over })
  const parse = (items: unknown[], over: Record<string, unknown> = {}) => ChecklistTemplate.safeParse({ ...validTemplate(), items, ...over })

  it('no item is required unless it says so, whatever its kind', () => {
    const t = ChecklistTemplate.parse({
      ...validTemplate(),
      items: [item({ id: 'a' }), item({ id: 'b', kind: 'choice', options: ['是', '否'] }), item({ id: 'c', kind: 'number' }), item({ id: 'd', kind: 'text' })],
    })
    expect(t.items.map((i) => i.required)).toEqual([false, false, false, false])
  })

  it('an item id of 1 to 40 characters and a label of 1 to 100', () => {
    expect(parse([item({ id: 'i'.repeat(40), label: '项'.repeat(100) })]).success).toBe(true)
    expect(parse([item({ id: 'x' })]).success).toBe(true)
    for (const over of [{ id: '' }, { id: 'i'.repeat(41) }, { label: '' }, { label: '项'.repeat(101) }]) expect(parse([item(over)]).success, JSON.stringify(over)).toBe(false)
  })

  it('each kind of item takes the same id and label rules', () => {
    for (const kind of [
      { kind: 'choice', options: ['是', '否'] },
      { kind: 'number', min: 0, max: 9 },
      { kind: 'text' },
    ]) {
      expect(parse([item({ ...kind, id: 'i'.repeat(40), label: '项'.repeat(100) })]).success, kind.kind).toBe(true)
      expect(parse([item({ ...kind, id: 'i'.repeat(41) })]).success, kind.kind).toBe(false)
      expect(parse([item({ ...kind, label: '' })]).success, kind.kind).toBe(false)
      expect(parse([item({ ...kind, label: '项'.repeat(101) })]).success, kind.kind).toBe(false)
      expect(parse([item({ ...kind, id: '' })]).success, kind.kind).toBe(false)
    }
  })

  it('a choice has 2 to 20 options of 1 to 50 characters', () => {
    const choice = (options: string[]) => parse([item({ kind: 'choice', options })])
    expect(choice(['好', '差']).success).toBe(true)
    expect(choice(Array.from({ length: 20 }, (_, i) => `选项${i}`)).success).toBe(true)
    expect(choice(Array.from({ length: 21 }, (_, i) => `选项${i}`)).success).toBe(false)
    expect(choice(['好', '选'.repeat(50)]).success).toBe(true)
    expect(choice(['好', '选'.repeat(51)]).success).toBe(false)
    expect(choice(['好', '']).success).toBe(false)
  })

  it('1 to 60 items, each id once', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => item({ id: `q${i}` }))
    expect(parse(items(60)).success).toBe(true)
    expect(parse(items(61)).success).toBe(false)
    expect(messagesOf(parse([item(), item()]))).toEqual(['清单项目编号不能重复'])
  })

  it('a code of 1 to 30 characters, a name of 1 to 50, up to 200 past versions', () => {
    expect(parse(validTemplate().items, { code: 'c'.repeat(30), name: '名'.repeat(50) }).success).toBe(true)
    for (const over of [{ code: '' }, { code: 'c'.repeat(31) }, { name: '' }, { name: '名'.repeat(51) }, { version: 1.5 }]) expect(parse(validTemplate().items, over).success, JSON.stringify(over)).toBe(false)
    const history = (n: number) => Array.from({ length: n }, (_, i) => ({ version: i + 1, items: [item()] }))
    expect(parse(validTemplate().items, { version: 201, history: history(200) }).success).toBe(true)
    expect(parse(validTemplate().items, { version: 202, history: history(201) }).success).toBe(false)
    expect(parse(validTemplate().items, { version: 2, history: [{ version: 0, items: [item()] }] }).success).toBe(false)
    expect(parse(validTemplate().items, { version: 2, history: [{ version: 1, items: [] }] }).success).toBe(false)
  })
})

describe('editing and creating a template', () => {
  const items = validTemplate().items

  it('a patch renames (trimmed, 1 to 50 characters) or replaces the items, and nothing else', () => {
    expect(ChecklistTemplatePatch.parse({ name: ' 新名字 ' })).toEqual({ name: '新名字' })
    expect(ChecklistTemplatePatch.safeParse({ items }).success).toBe(true)
    expect(ChecklistTemplatePatch.safeParse({ name: '名'.repeat(50) }).success).toBe(true)
    expect(ChecklistTemplatePatch.safeParse({ name: '名'.repeat(51) }).success).toBe(false)
    expect(ChecklistTemplatePatch.safeParse({ name: '  ' }).success).toBe(false)
    expect(ChecklistTemplatePatch.safeParse({ name: '新名字', code: 'x' }).success).toBe(false)
    expect(messagesOf(ChecklistTemplatePatch.safeParse({}))).toEqual(['没有要修改的内容'])
  })

  it('a new template has an id, a code of 1 to 30, a name of 1 to 50 (trimmed), and items', () => {
    const create = (over: Record<string, unknown>) => ChecklistTemplateCreate.safeParse({ id: validTemplate().id, code: 'care', name: '关爱探访', items, ...over })
    expect(create({}).success).toBe(true)
    expect(ChecklistTemplateCreate.parse({ id: validTemplate().id, code: ' care ', name: ' 关爱探访 ', items })).toMatchObject({ code: 'care', name: '关爱探访' })
    expect(create({ code: 'c'.repeat(30), name: '名'.repeat(50) }).success).toBe(true)
    for (const over of [{ code: ' ' }, { code: 'c'.repeat(31) }, { name: ' ' }, { name: '名'.repeat(51) }, { items: [] }, { version: 3 }])
      expect(create(over).success, JSON.stringify(over)).toBe(false)
  })
})

describe('checkAnswers, more', () => {
  it('a number item with only a maximum, or neither bound, takes any number within it', () => {
    const t = validTemplate({
      items: [
        { id: 'floors', label: '楼层', kind: 'number', max: 30, required: false },
        { id: 'any', label: '次数', kind: 'number', required: false },
        { id: 'low', label: '人数', kind: 'number', min: 1, required: false },
      ],
    })
    expect(checkAnswers(t, { floors: -3, any: -1e9, low: 1e9 })).toEqual([])
    expect(checkAnswers(t, { floors: 31, low: 0 })).toEqual([
      { itemId: 'floors', message: '「楼层」超出范围' },
      { itemId: 'low', message: '「人数」超出范围' },
    ])
    expect(checkAnswers(t, { any: Number.POSITIVE_INFINITY })).toEqual([{ itemId: 'any', message: '「次数」应填数字' }])
  })

  it('an unanswered optional item is fine; a text answer of up to 500 characters', () => {
    expect(checkAnswers(validTemplate(), { safe: true, health: '好', other: '' })).toEqual([])
    expect(Answers.safeParse({ other: '字'.repeat(500) }).success).toBe(true)
    expect(Answers.safeParse({ other: '字'.repeat(501) }).success).toBe(false)
  })
})
