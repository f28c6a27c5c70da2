import { DEFAULT_SETTINGS, type Household, isSensitiveTag, Settings, SETTINGS_ID, SettingsPatch } from '../../domain'
import { AppError, parseWith } from '../appError'
import { getRecord } from '../store/records'
import { liveRows, touchHouseholds } from '../store/register'
import { writeSettings } from '../store/settings'
import { record } from './audit'
import type { MutationHandler } from './mutationHandler'

/** The admin edits the visit-frequency rules and case deadlines; every device gets them. */
export const patchSettings: MutationHandler = async (trx, user, m, now) => {
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', '只有管理员可以修改规则')
  if (m.id !== SETTINGS_ID) throw new AppError('NOT_FOUND', '没有这份设置')
  const patch = parseWith(SettingsPatch, m.data, '规则设置')
  const row = await getRecord(trx, 'settings', SETTINGS_ID)
  const next = parseWith(Settings, { ...(row ? row.data : DEFAULT_SETTINGS), ...patch, id: SETTINGS_ID }, '规则设置')
  const version = await writeSettings(trx, next, row !== null)
  // Copies sent without their 政法 tags carry the interval those tags called for under the old
  // rules: the households are sent again, with the new one.
  if (patch.visitRules) {
    const hidden = (await liveRows(trx, 'households')).filter((h) => (h.data as Household).tags.some(isSensitiveTag)).map((h) => h.id)
    await touchHouseholds(trx, hidden)
  }
  await record(trx, { userId: user.id, action: 'settings_change', subject: { type: 'settings', id: SETTINGS_ID }, details: { version, changed: patch }, at: now })
  return { status: 'applied', version }
}
