import { afterEach, describe, expect, it } from 'vitest'
import { ChecklistTemplate, ChecklistTemplatePatch, checkAnswers, checkTransition, Period, User } from '../../src/domain'
import { domainLanguage, setDomainLanguage } from '../../src/domain/language'
import { validTemplate, validUser } from '../support/fixtures'
import { messagesOf } from './messagesOf'

// The same bad input, checked with the domain in English and in Chinese: what a worker reads
// under the form follows the UI's language (the app sets it), and only that.

afterEach(() => setDomainLanguage('zh-CN'))

const tooLongName = () => User.safeParse({ ...validUser(), name: '张'.repeat(31) })

describe('domain messages in the chosen language', () => {
  it('Chinese unless told otherwise (the server never tells it)', () => {
    expect(domainLanguage()).toBe('zh-CN')
  })

  it('a custom refine message: nothing to change', () => {
    setDomainLanguage('en')
    expect(messagesOf(ChecklistTemplatePatch.safeParse({}))).toEqual(['Nothing to change'])
    setDomainLanguage('zh-CN')
    expect(messagesOf(ChecklistTemplatePatch.safeParse({}))).toEqual(['没有要修改的内容'])
  })

  it('a check that pushes its own issue: a period ending before it starts', () => {
    setDomainLanguage('en')
    expect(messagesOf(Period.safeParse({ from: '2026-11-21', to: '2026-11-01' }))).toEqual(['The start date cannot be after the end date'])
    setDomainLanguage('zh-CN')
    expect(messagesOf(Period.safeParse({ from: '2026-11-21', to: '2026-11-01' }))).toEqual(['开始日期不能晚于结束日期'])
  })

  it("zod's own message for a string too long", () => {
    setDomainLanguage('en')
    expect(messagesOf(tooLongName())).toEqual(['Too big: expected string to have <=30 characters'])
    setDomainLanguage('zh-CN')
    expect(messagesOf(tooLongName())).toEqual(['数值过大：期望 string <=30 字符'])
  })

  it("checkAnswers: a required item left empty, named by the template's own label", () => {
    const t = ChecklistTemplate.parse(validTemplate())
    setDomainLanguage('en')
    expect(checkAnswers(t, { health: '好' })).toEqual([{ itemId: 'safe', message: '"居住安全" is required' }])
    setDomainLanguage('zh-CN')
    expect(checkAnswers(t, { health: '好' })).toEqual([{ itemId: 'safe', message: '「居住安全」必须填写' }])
  })

  it("caseFlow: a refusal names the case's state and the action in the language's words", () => {
    const refuse = () => checkTransition('closed', 'accept', 'secretary', { note: '', handlerTeamId: null })
    setDomainLanguage('en')
    expect(refuse()).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: 'The case is "Closed" and cannot "Accept" (only from "Reported")' })
    setDomainLanguage('zh-CN')
    expect(refuse()).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: '案件现在是「结案」，不能「受理」（只能从「上报」）' })
  })
})

describe('who may act, in English', () => {
  it('lists the actors as English lists them', () => {
    setDomainLanguage('en')
    expect(checkTransition('assigned', 'start', null, { note: '', handlerTeamId: null })).toMatchObject({
      code: 'FORBIDDEN',
      message: `Only the community secretary, an administrator or the cell's grid worker can "Start"`,
    })
    expect(checkTransition('returned', 'resubmit', 'admin', { note: '', handlerTeamId: null })).toMatchObject({ message: `Only the cell's grid worker can "Resubmit"` })
  })
})
