import { describe, expect, it } from 'vitest'
import { applyServiceAction, pointsFor } from '../../src/domain/listRules'
import { newServiceRecord, serviceCategory } from '../../src/domain/needFlow'
import { ServiceRecord, type ServiceRecordCreate } from '../../src/domain/schemas/lists'
import { ids, validServiceRecord } from '../support/fixtures'

// One home for a service record's shape: as it is first stored (待确认, no points) and after the
// office's 确认 / 不予确认 — the server's record and the office device's copy alike.
const sent: ServiceRecordCreate = { id: ids.serviceRecord, resourceId: ids.resource, projectId: ids.project, needId: ids.need, day: '2026-11-20', hours: 2.5, note: '送餐' }
const RULES = [
  { category: null, pointsPerHour: 10 },
  { category: 'meals' as const, pointsPerHour: 15 },
]

describe('service records', () => {
  it("the category is the need's, else the project's, else none", () => {
    expect(serviceCategory({ need: { category: 'elderly_care' }, project: { category: 'meals' } })).toBe('elderly_care')
    expect(serviceCategory({ need: null, project: { category: 'meals' } })).toBe('meals')
    expect(serviceCategory({})).toBeNull()
  })

  it('a new record is 待确认 with nothing decided, and only the fields a create carries', () => {
    const r = newServiceRecord({ ...sent, points: 99 } as ServiceRecordCreate, 'meals', ids.worker, '2026-11-20T10:00:00.000Z')
    expect(ServiceRecord.parse(r)).toEqual(validServiceRecord({ needId: ids.need, note: '送餐', recordedAt: '2026-11-20T10:00:00.000Z' }))
    expect(r).not.toHaveProperty('points', 99)
  })

  it('确认 fixes the points by the rule of its category; 不予确认 keeps the reason and no points', () => {
    const r = validServiceRecord({ hours: 2.5, category: 'meals' })
    const ok = applyServiceAction(r, 'confirm', { note: '' }, RULES, ids.worker, '2026-11-21T01:00:00.000Z')
    expect(ServiceRecord.parse(ok)).toMatchObject({ status: 'confirmed', confirmedBy: ids.worker, confirmedAt: '2026-11-21T01:00:00.000Z', points: 37.5, pointsPerHour: 15 })
    expect(applyServiceAction({ ...r, category: 'legal' }, 'confirm', { note: '' }, RULES, ids.worker, '2026-11-21T01:00:00.000Z')).toMatchObject(pointsFor(RULES, null, 2.5))
    const no = applyServiceAction(r, 'reject', { note: ' 未到岗 ' }, RULES, ids.worker, '2026-11-21T01:00:00.000Z')
    expect(ServiceRecord.parse(no)).toMatchObject({ status: 'rejected', rejectReason: '未到岗', points: null, pointsPerHour: null, confirmedAt: null })
  })
})
