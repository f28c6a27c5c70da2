import Dexie from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { db } from '../../src/app/db/instance'
import { useDeviceStore } from '../../src/app/stores/device'

// Two tabs: a newer version of the app opened in one upgrades the database. The old tab must let
// go of its connection (or the upgrade hangs forever) and tell its user to reload.

describe('a schema upgrade in another tab', () => {
  it('is not blocked by this tab, and this tab says it must reload', async () => {
    setActivePinia(createPinia())
    const device = useDeviceStore()
    await db.open()
    expect(device.staleTab).toBe(false)
    // The "other tab": the same database, one schema version newer.
    const newer = new Dexie('zoufang')
    newer.version(db.verno + 1).stores({ futureTable: 'id' })
    const opened = newer.open().then(() => 'opened')
    const hung = new Promise((resolve) => setTimeout(() => resolve('blocked'), 2000))
    expect(await Promise.race([opened, hung])).toBe('opened')
    expect(device.staleTab).toBe(true)
    expect(db.isOpen()).toBe(false)
    newer.close()
    await newer.delete()
    await db.open() // for the tests that follow (this tab would reload)
  })
})
