import { db } from '../../src/app/db/instance'
import type { User } from '../../src/domain'
import { DEFAULT_SETTINGS } from '../../src/domain/settingsDefaults'
import { stairwell, validBuilding, validGridCell, validHousehold, validUser } from '../support/fixtures'

// The device for the 议题 tests: the fixtures' register with its stairwell (support/fixtures/matters.ts), and a session.

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
