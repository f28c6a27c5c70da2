import { describe, expect, it } from 'vitest'
import { db } from '../../src/app/db/instance'
import { createLocal } from '../../src/app/sync/outbox'
import { nameOfChange, subjectOf } from '../../src/app/sync/subject'
import { ids, validHousehold, validNeed, validProject, validResource, validServiceRecord, validVolunteer } from '../support/fixtures'

// 待处理 names a refused change of 三张清单 as a person knows the record: a need by its household
// and what was asked, a resource by its name, a project by its title, hours by the volunteer
// and the day — never by an id, and still after the record left the device.

describe('names of the lists’ changes', () => {
  it('a need: the household (head masked) and what was asked', async () => {
    await db.households.put(validHousehold())
    await db.needs.put(validNeed())
    const s = await subjectOf(db, 'need', ids.need, {})
    expect(s).toEqual({ label: `${validHousehold().address} · 王*国 · 想申请老年助餐`, onDevice: true, householdId: ids.household })
  })

  it('a resource, a project and a volunteer’s hours', async () => {
    const volunteer = validVolunteer({ id: ids.resident })
    await db.resources.bulkPut([validResource(), volunteer])
    await db.projects.put(validProject())
    await db.serviceRecords.put(validServiceRecord({ resourceId: volunteer.id }))
    expect((await subjectOf(db, 'resource', ids.resource, {})).label).toBe('幸福里长者食堂')
    expect((await subjectOf(db, 'project', ids.project, {})).label).toBe('教师新村老年助餐点')
    expect((await subjectOf(db, 'serviceRecord', validServiceRecord().id, {})).label).toBe(`王建华 · ${validServiceRecord().day}`)
  })

  it('a change keeps its name after the record has gone from the device', async () => {
    await db.households.put(validHousehold())
    const row = await createLocal(db, 'need', validNeed())
    await db.needs.clear()
    await db.households.clear()
    expect((await nameOfChange(db, row)).label).toBe(`${validHousehold().address} · 王*国 · 想申请老年助餐`)
    expect((await subjectOf(db, 'project', ids.project, { title: '送来的标题' })).label).toBe('送来的标题')
  })
})
