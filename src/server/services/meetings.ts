import type { Transaction } from 'kysely'
import { isMatterOpen, type Matter, MATTER_STAGE_ZH, Meeting, MeetingCreate, meetingPlacesOf, MeetingPatch, Resource } from '../../domain'
import { AppError, parseWith } from '../appError'
import { findListRow } from '../store/lists'
import { findMatterRow, putMeeting } from '../store/matters'
import type { Database } from '../store/schema'
import { referAttachments, requireReadablePhotos } from './attachments'
import type { SessionUser } from './auth'
import { currentSettings } from './lists'
import { assertMatterManager, liveHouseholds, loadMatter } from './matterScope'
import type { MutationHandler } from './mutationHandler'

// 议事协商会: the office records a matter's meetings — when, where (one of the community's 议事
// spaces, settings' meetingPlaces), who was invited and came, what each side said, the minutes
// and next steps — and fills them in afterwards. A matter open (提 … 办) takes any number.

type Trx = Transaction<Database>
type Fields = Partial<Pick<Meeting, 'place' | 'parties' | 'photoIds'>>

const sentAs = (m: Pick<Meeting, 'matterId' | 'day' | 'time' | 'place' | 'parties' | 'positions' | 'minutes' | 'nextSteps' | 'photoIds' | 'recordedBy'>) =>
  JSON.stringify([m.matterId, m.day, m.time, m.place, m.parties, m.positions, m.minutes, m.nextSteps, m.photoIds, m.recordedBy])

function assertOpen(matter: Matter): void {
  if (!isMatterOpen(matter.stage)) throw new AppError('INVALID_TRANSITION', `议题「${matter.title}」${MATTER_STAGE_ZH[matter.stage]}，不能再记录或修改议事会`)
}

/** The place is one of the community's, the households and units named are known, the photos uploaded. */
async function checkFields(trx: Trx, user: SessionUser, f: Fields, before: readonly string[] = []): Promise<string[]> {
  if (f.place !== undefined) {
    const places = meetingPlacesOf(await currentSettings(trx))
    if (!places.includes(f.place)) throw new AppError('VALIDATION_FAILED', `「${f.place}」不在议事场所表里（${places.join('、')}）：请选一个，或请管理员在设置里加上`)
  }
  if (f.parties) {
    const households = f.parties.flatMap((p) => (p.kind === 'household' ? [p.householdId] : []))
    await liveHouseholds(trx, households, '参会的户里有找不到的，可能已从台账撤销')
    for (const p of f.parties) {
      if (p.kind !== 'unit') continue
      const r = await findListRow(trx, 'resources', p.resourceId)
      const resource = r && !r.deleted ? Resource.parse(r.data) : null
      if (!resource) throw new AppError('NOT_FOUND', '参会的驻区单位不在资源清单里')
      if (resource.kind !== 'unit') throw new AppError('VALIDATION_FAILED', `「${resource.name}」不是驻区单位`)
    }
  }
  const added = (f.photoIds ?? []).filter((p) => !before.includes(p))
  await requireReadablePhotos(trx, user, added)
  return added
}

/** meeting:create (office). */
export const createMeeting: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const input = parseWith(MeetingCreate, m.data, '议事会')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '议事会编号与提交编号不一致')
  const existing = await findMatterRow(trx, 'meetings', input.id)
  if (existing) {
    if (!existing.deleted && sentAs(Meeting.parse(existing.data)) === sentAs({ ...input, recordedBy: user.id })) return { status: 'duplicate', version: existing.version }
    throw new AppError('ID_TAKEN', '这次议事会的编号已被占用')
  }
  assertOpen((await loadMatter(trx, input.matterId)).matter)
  const added = await checkFields(trx, user, input)
  const meeting = parseWith(Meeting, { ...input, recordedBy: user.id, recordedAt: now, updatedAt: now }, '议事会')
  const version = await putMeeting(trx, meeting)
  // Meetings' photos show residents: the office's, like a project's.
  await referAttachments(trx, added, 'meeting', meeting.id, null)
  return { status: 'applied', version }
}

/** meeting:patch (office): attendance, positions, minutes filled in afterwards. */
export const patchMeeting: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const patch = parseWith(MeetingPatch, m.data, '议事会的修改')
  const row = await findMatterRow(trx, 'meetings', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这次议事会')
  const current = Meeting.parse(row.data)
  assertOpen((await loadMatter(trx, current.matterId)).matter)
  const added = await checkFields(trx, user, patch, current.photoIds)
  const version = await putMeeting(trx, parseWith(Meeting, { ...current, ...patch, updatedAt: now }, '议事会'))
  await referAttachments(trx, added, 'meeting', current.id, null)
  return { status: 'applied', version }
}
