import { describe, expect, it } from 'vitest'
import { Visit } from '../../src/domain'
import { ids, photoId, validVisit } from '../support/fixtures'
import { messagesOf } from './messagesOf'

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

describe('Visit at its bounds', () => {
  it('up to 30 residents met and 9 photos', () => {
    const residents = (n: number) => Array.from({ length: n }, () => ids.resident)
    expect(Visit.safeParse(validVisit({ residentIds: residents(30) })).success).toBe(true)
    expect(Visit.safeParse(validVisit({ residentIds: residents(31) })).success).toBe(false)
    const photos = (n: number) => Array.from({ length: n }, (_, i) => photoId(i + 1))
    expect(Visit.safeParse(validVisit({ photoIds: photos(9) })).success).toBe(true)
    expect(messagesOf(Visit.safeParse(validVisit({ photoIds: photos(10) })))).toEqual(['最多9张照片'])
  })

  it('needs: 1000 characters pass', () => {
    expect(Visit.safeParse(validVisit({ needs: '求'.repeat(1000) })).success).toBe(true)
  })

  it('every outcome: met, not at home, refused, by phone', () => {
    for (const outcome of ['met', 'refused', 'phone'] as const) expect(Visit.safeParse(validVisit({ outcome })).success, outcome).toBe(true)
    expect(Visit.safeParse(validVisit({ outcome: 'not_home', residentIds: [] })).success).toBe(true)
  })

  it('a template version is a positive whole number', () => {
    expect(Visit.safeParse(validVisit({ templateVersion: 0 })).success).toBe(false)
    expect(Visit.safeParse(validVisit({ templateVersion: 1.5 })).success).toBe(false)
    expect(Visit.safeParse(validVisit({ templateVersion: 12 })).success).toBe(true)
  })

  it('reports both problems of a visit with both wrong', () => {
    const r = Visit.safeParse(validVisit({ outcome: 'not_home', templateVersion: null }))
    expect(messagesOf(r)).toEqual(['不在家时不能选见到的居民', '清单和清单版本要一起给'])
    expect(r.error!.issues[1]!.path).toEqual(['templateVersion'])
  })
})
