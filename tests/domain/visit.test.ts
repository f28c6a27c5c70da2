import { describe, expect, it } from 'vitest'
import { Visit } from '../../src/domain'
import { ids, messagesOf, validVisit } from './fixtures'

describe('Visit', () => {
  it('accepts a visit and trims notes and needs', () => {
    const v = Visit.parse(validVisit({ notes: '  老人身体还行\n', needs: ' 想申请助餐 ' }))
    expect(v.notes).toBe('老人身体还行')
    expect(v.needs).toBe('想申请助餐')
  })

  it('accepts a phone visit without a checklist and with a follow-up day', () => {
    const r = Visit.safeParse(validVisit({ outcome: 'phone', templateId: null, templateVersion: null, answers: {}, followUpDate: '2026-12-01' }))
    expect(r.success).toBe(true)
  })

  it('rejects residents met when nobody was home', () => {
    const r = Visit.safeParse(validVisit({ outcome: 'not_home', residentIds: [ids.resident] }))
    expect(messagesOf(r)).toEqual(['不在家时不能选见到的居民'])
    expect(r.error!.issues[0]!.path).toEqual(['residentIds'])
    expect(Visit.safeParse(validVisit({ outcome: 'not_home', residentIds: [] })).success).toBe(true)
  })

  it('notes: 2000 characters pass, 2001 fail with 备注最多2000字', () => {
    expect(Visit.safeParse(validVisit({ notes: '记'.repeat(2000) })).success).toBe(true)
    expect(messagesOf(Visit.safeParse(validVisit({ notes: '记'.repeat(2001) })))).toEqual(['备注最多2000字'])
  })

  it('counts notes after trimming', () => {
    expect(Visit.safeParse(validVisit({ notes: `  ${'记'.repeat(2000)}  ` })).success).toBe(true)
  })

  it('rejects needs over 1000 characters with 诉求最多1000字', () => {
    expect(messagesOf(Visit.safeParse(validVisit({ needs: '求'.repeat(1001) })))).toEqual(['诉求最多1000字'])
  })

  it('wants a template and its version together', () => {
    expect(messagesOf(Visit.safeParse(validVisit({ templateVersion: null })))).toEqual(['清单和清单版本要一起给'])
    expect(messagesOf(Visit.safeParse(validVisit({ templateId: null })))).toEqual(['清单和清单版本要一起给'])
  })

  it('rejects a badly formed follow-up day and start time, saying what is expected', () => {
    expect(messagesOf(Visit.safeParse(validVisit({ followUpDate: '2026/12/01' })))).toEqual(['日期格式不对 (expected YYYY-MM-DD)'])
    expect(messagesOf(Visit.safeParse(validVisit({ startedAt: '2026-11-21 08:30' })))).toEqual(['时间格式不对 (expected an ISO date-time)'])
  })

  it('rejects an unknown outcome and an answer that is neither yes/no, number nor text', () => {
    expect(Visit.safeParse({ ...validVisit(), outcome: 'maybe' }).success).toBe(false)
    expect(Visit.safeParse({ ...validVisit(), answers: { safe: null } }).success).toBe(false)
  })
})
