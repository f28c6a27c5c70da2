// Dexie binds IndexedDB when it is first imported: the fake must be installed before anything else.
import 'fake-indexeddb/auto'
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach } from 'vitest'
import { db } from '../../src/app/db/instance'

enableAutoUnmount(afterEach)

afterEach(async () => {
  localStorage.clear()
  sessionStorage.clear()
  await Promise.all(db.tables.map((t) => t.clear()))
})
