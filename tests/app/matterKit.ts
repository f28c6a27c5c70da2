import { db } from '../../src/app/db/instance'
import { newMatter, type Household, type LedgerEntry, type Matter, type Meeting, type User } from '../../src/domain'
import { DEFAULT_SETTINGS } from '../../src/domain/settingsDefaults'
import { ids, validBuilding, validGridCell, validHousehold, validUser } from '../domain/fixtures'

// A stairwell on the device for the 议题 tests: 幸福里小区3号楼2单元, six floors, two flats a floor
// (12 households, 101 … 602), beside the fixtures' household in 1单元. A matter of that stairwell.

export const MATTER = '0190a000-0000-7000-8000-0000000e0001'
export const MEETING = '0190a000-0000-7000-8000-0000000e0002'
export const STAIRWELL = Array.from({ length: 12 }, (_, i) => `0190a000-0000-7000-8000-0000000e01${String(i + 1).padStart(2, '0')}`)

export function stairwell(): Household[] {
  return STAIRWELL.map((id, i) => {
    const floor = Math.floor(i / 2) + 1
    const room = `${floor}0${(i % 2) + 1}`
    return validHousehold({ id, unit: '2', floor, room, address: `幸福里小区3号楼2单元${room}`, headName: `住户${i + 1}`, searchKey: `住户${i + 1}`, area: 80 + i })
  })
}

export async function seedRegister(): Promise<void> {
  await db.gridCells.put(validGridCell())
  await db.buildings.put(validBuilding())
  await db.households.bulkPut([validHousehold(), ...stairwell()])
  await db.settings.put({ ...DEFAULT_SETTINGS, _v: 1 })
}

export function logIn(role: User['role']): User {
  const user = validUser({ role, name: role === 'worker' ? '李网格' : '刘书记' })
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  return user
}

const AT = '2026-11-20T02:00:00.000Z'

/** 3号楼2单元加装电梯, raised by the office, as the server stores it. */
export function validMatter(over: Partial<Matter> = {}): Matter {
  const m = newMatter(
    { id: MATTER, title: '3号楼2单元加装电梯', description: '低层住户担心采光', scope: { kind: 'unit', buildingId: ids.building, unit: '2' }, origin: { kind: 'office' }, raisedByName: '3号楼居民', raisedAt: AT, budget: 36_000_000, consultationCampaignIds: [] },
    [ids.grid],
    ids.worker,
    AT,
  )
  return { ...m, ...over }
}

export function validMeeting(over: Partial<Meeting> = {}): Meeting {
  return {
    id: MEETING,
    matterId: MATTER,
    day: '2026-11-20',
    time: '19:00',
    place: '邻里议事厅',
    parties: [{ kind: 'owners_committee', present: true }, { kind: 'household', householdId: STAIRWELL[0]!, present: true }],
    positions: [],
    minutes: '',
    nextSteps: '',
    photoIds: [],
    recordedBy: ids.worker,
    recordedAt: AT,
    updatedAt: AT,
    ...over,
  }
}

export function entry(over: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind'>): LedgerEntry {
  const base = { id: '0190a000-0000-7000-8000-0000000e0201', matterId: MATTER, amount: 100_000, day: '2026-11-20', note: '', photoIds: [], recordedBy: ids.worker, recordedAt: AT }
  const extra = over.kind === 'share' || over.kind === 'contribution' ? { householdId: STAIRWELL[0]! } : over.kind === 'expense' ? { what: '设备款' } : over.kind === 'correction' ? { correctsId: base.id, note: '记错了' } : { source: '区住建局' }
  return { ...base, ...extra, ...over } as LedgerEntry
}
