// Dexie binds IndexedDB when it is first imported: the fake must be installed before anything else.
import 'fake-indexeddb/auto'
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach } from 'vitest'
import { db } from '../../src/app/db/instance'
import { loadRest } from '../../src/app/i18n'

// Pages are mounted here without the router's guard that brings the words of later pages.
await loadRest()

enableAutoUnmount(afterEach)

afterEach(async () => {
  localStorage.clear()
  sessionStorage.clear()
  await Promise.all(db.tables.map((t) => t.clear()))
})
