import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Resource, ServiceAction, ServiceRecord, ServiceRecordCreate } from '../../domain'
import { chinaDay } from '../../domain/coverage'
import { applyServiceAction, pointRulesOf } from '../../domain/listRules'
import { checkServiceTransition, newServiceRecord, serviceCategory } from '../../domain/needFlow'
import { ResourcePatch, ServiceRecordTransition } from '../../domain/schemas/lists'
import { SETTINGS_ID } from '../../domain/settingsDefaults'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { createLocal, patchLocal, transitionRecordLocal } from '../sync/outbox'
import { refused } from './refusal'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

// Volunteers' service hours and points, the office's side (docs/lists.md): hours are recorded
// against a project or a need (待确认), confirmed (已确认, with points by the rule table) or not
// (不予确认, with why). Everything is saved on the device and queued like any change, so it shows
// at once, offline too; the server's copy (with the points it computed) replaces it at the next
// pull. Only the office's devices hold service records: a volunteer's ledger is theirs.

const round1 = (x: number) => Math.round(x * 10) / 10

/** Newest first: by the day served, then by when it was written down. */
const newestFirst = (a: ServiceRecord, b: ServiceRecord) => b.day.localeCompare(a.day) || b.recordedAt.localeCompare(a.recordedAt)

export const useServiceRecordsStore = defineStore('serviceRecords', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const records = useLiveQuery(() => db.serviceRecords.toArray(), [], undefined, { wholeTables: true })
  const resources = useLiveQuery(() => db.resources.toArray(), [], undefined, { wholeTables: true })
  const projects = useLiveQuery(() => db.projects.toArray(), [], undefined, { wholeTables: true })
  const needs = useLiveQuery(() => db.needs.toArray(), [], undefined, { wholeTables: true })

  /** The active volunteers, by name: those hours may be recorded for. */
  const volunteers = computed(() => resources.value.filter((r) => r.kind === 'volunteer' && r.active).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')))
  /** Every volunteer, retired ones too: their ledgers stay. */
  const allVolunteers = computed(() => resources.value.filter((r) => r.kind === 'volunteer').sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh-CN')))
  const resourceById = computed(() => new Map(resources.value.map((r) => [r.id, r])))
  const projectById = computed(() => new Map(projects.value.map((p) => [p.id, p])))
  const needById = computed(() => new Map(needs.value.map((n) => [n.id, n])))
  /** Hours waiting for the office's confirmation, newest first. */
  const pending = computed(() => records.value.filter((r) => r.status === 'recorded').sort(newestFirst))

  /** One volunteer's ledger (台账): every record of theirs, newest first. */
  function ledgerOf(resourceId: string): ServiceRecord[] {
    return records.value.filter((r) => r.resourceId === resourceId).sort(newestFirst)
  }

  /** Confirmed hours and points of a volunteer, all time (only confirmed hours ever count). */
  function totalsOf(resourceId: string): { records: number; hours: number; points: number; pending: number } {
    let hours = 0
    let points = 0
    let count = 0
    let waiting = 0
    for (const r of records.value) {
      if (r.resourceId !== resourceId) continue
      if (r.status === 'recorded') waiting++
      if (r.status !== 'confirmed') continue
      count++
      hours += r.hours
      points += r.points ?? 0
    }
    return { records: count, hours: round1(hours), points: round1(points), pending: waiting }
  }

  function officeUser() {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    if (user.role !== 'secretary' && user.role !== 'admin') throw new LocalError('hoursOfficeOnly')
    return user
  }

  /** 记工时: saves the hours on the device as the server will store them (待确认, the need's or else
   *  the project's category, no points) and queues serviceRecord:create with what it sends.
   *  `sent` is a ServiceRecordCreate the page has already checked. */
  async function recordHours(sent: ServiceRecordCreate): Promise<ServiceRecord> {
    const user = officeUser()
    const now = new Date()
    if (sent.day > chinaDay(now.getTime())) throw new LocalError('serviceFuture', { day: sent.day })
    const volunteer = await db.resources.get(sent.resourceId)
    if (!volunteer || volunteer.kind !== 'volunteer') throw new LocalError('volunteersOnly')
    const project = sent.projectId ? await db.projects.get(sent.projectId) : null
    const need = sent.needId ? await db.needs.get(sent.needId) : null
    if (sent.projectId && !project) throw new LocalError('projectMissing')
    if (sent.needId && !need) throw new LocalError('needMissing')
    const record = newServiceRecord(sent, serviceCategory({ need, project }), user.id, now.toISOString())
    await createLocal(db, 'serviceRecord', record, now, { ...sent })
    sync.saved()
    return record
  }

  async function move(id: string, action: ServiceAction, note: string): Promise<void> {
    const user = officeUser()
    const current = await db.serviceRecords.get(id)
    if (!current) throw new LocalError('hoursMissing')
    // The same checks and the same rule the server applies; its copy follows at the next pull.
    const check = checkServiceTransition(current.status, action, 'office', { note })
    if (!check.ok) throw new LocalError('notPossible', {}, check.message)
    const at = new Date()
    const body = ServiceRecordTransition.safeParse({ action, note: note.trim(), at: at.toISOString() })
    if (!body.success) throw refused(body.error)
    const settings = action === 'confirm' ? await db.settings.get(SETTINGS_ID) : undefined
    const next = applyServiceAction(current, action, body.data, pointRulesOf(settings ?? {}), user.id, body.data.at)
    await transitionRecordLocal(db, 'serviceRecord', id, next, { ...body.data }, at)
    sync.saved()
  }

  /** 确认: the points by the rule table (the server's, computed again when it arrives, are final). */
  function confirm(id: string): Promise<void> {
    return move(id, 'confirm', '')
  }

  /** 不予确认, with the reason (required: the check's message says so, and nothing is queued). */
  function reject(id: string, reason: string): Promise<void> {
    return move(id, 'reject', reason)
  }

  /** 同意公开署名: whether the volunteer may be named on a points list (resource:patch with the
   *  whole volunteer part, as ResourcePatch replaces it). */
  async function setPointsConsent(resourceId: string, pointsConsent: boolean): Promise<Resource> {
    officeUser()
    const current = await db.resources.get(resourceId)
    if (!current?.volunteer) throw new LocalError('bylineVolunteersOnly')
    const patch = ResourcePatch.parse({ volunteer: { ...current.volunteer, pointsConsent } })
    await patchLocal(db, 'resource', resourceId, patch)
    sync.saved()
    return { ...current, ...patch } as Resource
  }

  return { records, volunteers, allVolunteers, resourceById, projectById, needById, needs, projects, pending, ledgerOf, totalsOf, recordHours, confirm, reject, setPointsConsent }
})

export type { ServiceRecord }
