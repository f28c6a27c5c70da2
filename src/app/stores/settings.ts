import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Settings, SettingsPatch } from '../../domain'
import { DEFAULT_OFFICE_VISIT_DAYS } from '../../domain/constants'
import { DEFAULT_SETTINGS, SETTINGS_ID } from '../../domain/settingsDefaults'
import { loadSchemas } from '../sync/schemas'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { patchLocal } from '../sync/outbox'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

/** The community's settings record (visit rules, case deadlines), live. Until the first sync
 *  brings it, the defaults stand in, so the today list works on a fresh phone. */
export const useSettingsStore = defineStore('settings', () => {
  const sync = useSyncStore()
  const record = useLiveQuery(() => db.settings.get(SETTINGS_ID), undefined)
  /** True once the record is on the device; saving needs it (a patch goes against its version). */
  const synced = computed(() => record.value !== undefined)
  const settings = computed<Settings>(() => {
    const r = record.value
    if (!r) return DEFAULT_SETTINGS
    // A record from before officeVisitDays existed lacks it: the server's default stands in. The
    // optional fields (points, the public page's, meeting places) stay absent when absent.
    const { _v: _version, ...stored } = r
    return { ...stored, officeVisitDays: r.officeVisitDays ?? DEFAULT_OFFICE_VISIT_DAYS }
  })
  const visitRules = computed(() => settings.value.visitRules)
  const caseDeadlines = computed(() => settings.value.caseDeadlines)
  const officeVisitDays = computed(() => settings.value.officeVisitDays)

  /** Saves on the device at once (record + outbox in one transaction), then nudges sync.
   *  Throws a ZodError for an invalid patch: pages validate first to show field messages. */
  async function saveSettings(patch: SettingsPatch): Promise<void> {
    const { Settings, SettingsPatch } = await loadSchemas()
    const data = SettingsPatch.parse(patch)
    const current = await db.settings.get(SETTINGS_ID)
    if (!current) throw new LocalError('settingsMissing')
    Settings.parse({ id: SETTINGS_ID, visitRules: current.visitRules, caseDeadlines: current.caseDeadlines, officeVisitDays: current.officeVisitDays, ...data })
    await patchLocal(db, 'settings', SETTINGS_ID, data)
    sync.saved()
  }

  return { settings, synced, visitRules, caseDeadlines, officeVisitDays, saveSettings }
})
