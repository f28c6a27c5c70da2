import { describe, expect, it } from 'vitest'
import { Building, GridCell, Household, HouseholdPatch, Resident, ResidentCreate, ResidentPatch } from '../../src/domain'
import { messagesOf } from './messagesOf'
import { validBuilding, validGridCell, validHousehold, validResident } from '../support/fixtures'

describe('GridCell', () => {
  it('accepts a grid cell with a closed polygon', () => {
    expect(GridCell.safeParse(validGridCell()).success).toBe(true)
  })

  it('rejects a polygon ring of fewer than four points', () => {
    const ring: [number, number][] = [
      [117.1, 36.1],
      [117.2, 36.1],
      [117.1, 36.1],
    ]
    const r = GridCell.safeParse(validGridCell({ polygon: { type: 'Polygon', coordinates: [ring] } }))
    expect(messagesOf(r)).toContain('多边形至少需要4个点')
  })

  it('rejects a blank code', () => {
    const r = GridCell.safeParse(validGridCell({ code: '   ' }))
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.path).toEqual(['code'])
  })
})

describe('Building', () => {
  it('accepts a building, with or without a location', () => {
    expect(Building.safeParse(validBuilding()).success).toBe(true)
    expect(Building.safeParse(validBuilding({ location: null })).success).toBe(true)
  })

  it('rejects an unknown kind and an impossible number of units', () => {
    expect(Building.safeParse({ ...validBuilding(), kind: 'tower' }).success).toBe(false)
    expect(Building.safeParse(validBuilding({ units: 51 })).success).toBe(false)
  })

  it('rejects a grid id that is not a UUID, saying so', () => {
    expect(messagesOf(Building.safeParse(validBuilding({ gridId: 'grid-1' })))).toContain('编号格式不对 (expected a UUID)')
  })
})

describe('Household', () => {
  it('accepts a household and trims text fields', () => {
    const r = Household.parse(validHousehold({ address: '  幸福里小区3号楼1单元502 ', headName: ' 王建国 ' }))
    expect(r.address).toBe('幸福里小区3号楼1单元502')
    expect(r.headName).toBe('王建国')
  })

  it('rejects a blank address with 地址不能为空', () => {
    expect(messagesOf(Household.safeParse(validHousehold({ address: '   ' })))).toEqual(['地址不能为空'])
  })

  it('accepts mobile and landline phones, rejects anything else with 电话号码格式不对', () => {
    for (const phone of ['13812341234', '0531-88886666', '053188886666', '010-1234567', null])
      expect(Household.safeParse(validHousehold({ phone })).success, String(phone)).toBe(true)
    for (const phone of ['1381234123', '23812341234', '138-1234-1234', 'abc'])
      expect(messagesOf(Household.safeParse(validHousehold({ phone }))), phone).toEqual(['电话号码格式不对'])
  })

  it('rejects an unknown tag and an unknown attention level', () => {
    expect(Household.safeParse({ ...validHousehold(), tags: ['vip'] }).success).toBe(false)
    expect(Household.safeParse({ ...validHousehold(), attention: 'urgent' }).success).toBe(false)
  })
})

describe('HouseholdPatch', () => {
  it('accepts an empty patch and a partial one', () => {
    expect(HouseholdPatch.parse({})).toEqual({})
    expect(HouseholdPatch.parse({ phone: ' 13912345678 ', attention: 'high' })).toEqual({ phone: '13912345678', attention: 'high' })
  })

  it('rejects a bad phone with 电话号码格式不对', () => {
    expect(messagesOf(HouseholdPatch.safeParse({ phone: '12345' }))).toEqual(['电话号码格式不对'])
  })

  it('cannot carry fields a worker may not change (they are dropped)', () => {
    expect(HouseholdPatch.parse({ address: '别处', headName: '李四', housing: 'rented' })).toEqual({ housing: 'rented' })
  })

  it('a patch of the phone alone does not bring the notes along (their default would clear them)', () => {
    expect(HouseholdPatch.parse({ phone: '13912345678' })).toEqual({ phone: '13912345678' })
    expect(HouseholdPatch.parse({ notes: ' 老人耳背，敲门要用力 ' })).toEqual({ notes: '老人耳背，敲门要用力' })
    expect(messagesOf(HouseholdPatch.safeParse({ notes: '字'.repeat(501) }))).toEqual(['备注最多500字'])
  })
})

describe('Household notes', () => {
  it('a household recorded before notes existed reads as having none', () => {
    const { notes: _, ...older } = validHousehold()
    expect(Household.parse(older).notes).toBe('')
  })
})

describe('Resident', () => {
  it('accepts a resident', () => {
    expect(Resident.safeParse(validResident()).success).toBe(true)
  })

  it('rejects a blank name with 姓名不能为空', () => {
    expect(messagesOf(Resident.safeParse(validResident({ name: ' ' })))).toEqual(['姓名不能为空'])
  })

  it('rejects a bad phone, an impossible birth year and an unknown relation', () => {
    expect(messagesOf(Resident.safeParse(validResident({ phone: '1381234' })))).toEqual(['电话号码格式不对'])
    expect(Resident.safeParse(validResident({ birthYear: 1899 })).success).toBe(false)
    expect(Resident.safeParse({ ...validResident(), relation: 'neighbour' }).success).toBe(false)
  })

  it('a resident recorded before moving out was kept reads as living there', () => {
    const { status: _s, statusDate: _d, movedTo: _m, ...older } = validResident()
    expect(Resident.parse(older)).toMatchObject({ status: 'present', statusDate: null, movedTo: null })
  })

  it('takes 迁出 with a day and a destination, 去世 with a day; refuses an unknown status or a bad day', () => {
    expect(Resident.parse(validResident({ status: 'moved_out', statusDate: '2026-11-03', movedTo: ' 杭州市西湖区 ' })).movedTo).toBe('杭州市西湖区')
    expect(Resident.safeParse(validResident({ status: 'deceased', statusDate: '2026-10-01' })).success).toBe(true)
    expect(Resident.safeParse({ ...validResident(), status: 'away' }).success).toBe(false)
    expect(Resident.safeParse(validResident({ status: 'moved_out', statusDate: '2026-13-01' })).success).toBe(false)
    expect(messagesOf(Resident.safeParse(validResident({ movedTo: '远'.repeat(101) })))).toEqual(['去向最多100字'])
  })
})

describe('ResidentCreate and ResidentPatch', () => {
  it('a resident added from a phone carries no ID number, said in words', () => {
    expect(ResidentCreate.parse({ ...validResident(), idMasked: undefined }).idMasked).toBeNull()
    expect(messagesOf(ResidentCreate.safeParse(validResident()))).toEqual(['身份证号只能由管理员在台账里登记'])
  })

  it('a patch carries only what was sent: a new phone does not reset the status', () => {
    expect(ResidentPatch.parse({ phone: '13912345678' })).toEqual({ phone: '13912345678' })
    expect(ResidentPatch.parse({ status: 'moved_out', statusDate: '2026-11-03', movedTo: null })).toEqual({ status: 'moved_out', statusDate: '2026-11-03', movedTo: null })
    expect(ResidentPatch.strict().safeParse({ name: '李四' }).success).toBe(false)
    expect(ResidentPatch.strict().safeParse({ idMasked: null }).success).toBe(false)
  })
})

describe('register records at their bounds', () => {
  it('a grid cell: code of 1 to 20 and name of 1 to 50 characters, trimmed', () => {
    expect(GridCell.parse(validGridCell({ code: ' G01 ', name: ' 第一网格 ' }))).toMatchObject({ code: 'G01', name: '第一网格' })
    expect(GridCell.safeParse(validGridCell({ code: 'G'.repeat(20), name: '格'.repeat(50) })).success).toBe(true)
    expect(GridCell.safeParse(validGridCell({ code: 'G'.repeat(21) })).success).toBe(false)
    expect(GridCell.safeParse(validGridCell({ name: '格'.repeat(51) })).success).toBe(false)
    expect(GridCell.safeParse(validGridCell({ name: ' ' })).success).toBe(false)
  })

  it('a building: compound up to 50, number up to 20, 0–50 units and 0–120 floors', () => {
    expect(Building.parse(validBuilding({ compound: ' 幸福里小区 ', number: ' 3号楼 ' }))).toMatchObject({ compound: '幸福里小区', number: '3号楼' })
    expect(Building.safeParse(validBuilding({ kind: 'bungalow', units: 0, floors: 0 })).success).toBe(true)
    expect(Building.safeParse(validBuilding({ units: 50, floors: 120, compound: '区'.repeat(50), number: '号'.repeat(20) })).success).toBe(true)
    for (const over of [{ units: -1 }, { floors: -1 }, { floors: 121 }, { units: 1.5 }, { compound: '区'.repeat(51) }, { number: '号'.repeat(21) }, { compound: ' ' }, { number: '' }])
      expect(Building.safeParse(validBuilding(over)).success, JSON.stringify(over)).toBe(false)
  })

  it('a household: unit up to 10, room up to 20, floor -5 to 120, address up to 200', () => {
    expect(Household.safeParse(validHousehold({ unit: '单'.repeat(10), room: '室'.repeat(20), floor: -5, address: '址'.repeat(200) })).success).toBe(true)
    expect(Household.safeParse(validHousehold({ floor: 120 })).success).toBe(true)
    expect(Household.safeParse(validHousehold({ buildingId: null, unit: null, floor: null, room: null, phone: null, tags: [] })).success).toBe(true)
    for (const over of [{ unit: '单'.repeat(11) }, { room: '室'.repeat(21) }, { floor: -6 }, { floor: 121 }, { floor: 2.5 }, { address: '址'.repeat(201) }])
      expect(Household.safeParse(validHousehold(over)).success, JSON.stringify(over)).toBe(false)
    expect(Household.parse(validHousehold({ unit: ' 1 ', room: ' 502 ' }))).toMatchObject({ unit: '1', room: '502' })
  })

  it('a household: up to 20 tags, a head name up to 30, a search key up to 2000; every housing and residency', () => {
    const tags = Array.from({ length: 20 }, () => 'dibao' as const)
    expect(Household.safeParse(validHousehold({ tags, headName: '名'.repeat(30), searchKey: 'k'.repeat(2000) })).success).toBe(true)
    expect(Household.safeParse(validHousehold({ tags: [...tags, 'dibao'] })).success).toBe(false)
    expect(Household.safeParse(validHousehold({ headName: '名'.repeat(31) })).success).toBe(false)
    expect(Household.safeParse(validHousehold({ searchKey: 'k'.repeat(2001) })).success).toBe(false)
    for (const housing of ['owner', 'rented', 'vacant'] as const) expect(Household.safeParse(validHousehold({ housing })).success, housing).toBe(true)
    for (const residency of ['consistent', 'present_unregistered', 'registered_absent'] as const)
      expect(Household.safeParse(validHousehold({ residency })).success, residency).toBe(true)
    for (const attention of ['normal', 'key', 'high'] as const) expect(Household.safeParse(validHousehold({ attention })).success, attention).toBe(true)
  })

  it('a worker may patch housing, residency, phone, tags and attention', () => {
    const patch = { housing: 'vacant', residency: 'registered_absent', phone: null, tags: ['rental'], attention: 'normal' }
    expect(HouseholdPatch.parse(patch)).toEqual(patch)
    expect(HouseholdPatch.safeParse({ tags: ['vip'] }).success).toBe(false)
  })

  it('a resident: name up to 30, born 1900–2100, masked ID up to 20, up to 20 tags', () => {
    expect(Resident.parse(validResident({ name: ' 王建国 ' })).name).toBe('王建国')
    expect(Resident.safeParse(validResident({ name: '名'.repeat(30), birthYear: 1900, idMasked: 'x'.repeat(20) })).success).toBe(true)
    expect(Resident.safeParse(validResident({ birthYear: 2100, idMasked: null, phone: '13812341234' })).success).toBe(true)
    for (const over of [{ name: '名'.repeat(31) }, { birthYear: 2101 }, { birthYear: 1980.5 }, { idMasked: 'x'.repeat(21) }, { tags: Array.from({ length: 21 }, () => 'dibao' as const) }])
      expect(Resident.safeParse(validResident(over)).success, JSON.stringify(over)).toBe(false)
    for (const relation of ['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'] as const)
      expect(Resident.safeParse(validResident({ relation })).success, relation).toBe(true)
    for (const political of ['party', 'league', 'masses'] as const) expect(Resident.safeParse(validResident({ political })).success, political).toBe(true)
    expect(Resident.safeParse(validResident({ sex: 'F' })).success).toBe(true)
    expect(Resident.safeParse({ ...validResident(), sex: 'X' }).success).toBe(false)
  })
})
