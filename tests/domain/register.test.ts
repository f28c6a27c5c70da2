import { describe, expect, it } from 'vitest'
import { Building, GridCell, Household, HouseholdPatch, Resident } from '../../src/domain'
import { messagesOf, validBuilding, validGridCell, validHousehold, validResident } from './fixtures'

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
})
