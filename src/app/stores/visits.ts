import { defineStore } from 'pinia'
import type { Visit } from '../../domain'
import { loadSchemas } from '../sync/schemas'
import { db } from '../db/instance'
import { createLocal } from '../sync/outbox'
import { useSyncStore } from './sync'

export const useVisitsStore = defineStore('visits', () => {
  const sync = useSyncStore()

  /** Saves on the device at once (record + outbox in one transaction), then nudges sync. */
  async function saveVisit(visit: Visit): Promise<void> {
    await createLocal(db, 'visit', (await loadSchemas()).Visit.parse(visit))
    sync.saved()
  }

  return { saveVisit }
})
