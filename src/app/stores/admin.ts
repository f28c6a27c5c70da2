import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AdminUser, AuditPage, CreateUserRequest, PatchUserRequest } from '../../domain/schemas/admin'
import type { RegisterImportResult } from '../../domain/schemas/registerAdmin'
import * as api from '../api/admin'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { errorText } from '../i18n/errorText'
import { LocalError } from '../i18n/localError'

export type { AdminUser, AuditPage }
export type AuditFilters = api.AuditFilters
export type ImportResult = RegisterImportResult

/** The admin's pages: user accounts and grid cells, register import, audit log; and the audited
 *  ID-number reveal any logged-in user may ask for. All online only: nothing here is queued or
 *  kept on the device. */
export const useAdminStore = defineStore('admin', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const client = { getToken: () => session.token }
  const online = computed(() => sync.online)

  const users = ref<AdminUser[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)

  function needOnline(): void {
    if (!online.value) throw new LocalError('offline')
  }

  async function loadUsers(): Promise<void> {
    error.value = null
    if (!online.value) {
      error.value = errorText(new LocalError('offlineUsers'))
      return
    }
    loading.value = true
    try {
      users.value = await api.listUsers(client)
    } catch (err) {
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }

  function replace(u: AdminUser): AdminUser {
    const i = users.value.findIndex((x) => x.id === u.id)
    if (i >= 0) users.value.splice(i, 1, u)
    else users.value.push(u)
    return u
  }

  async function createUser(body: CreateUserRequest): Promise<AdminUser> {
    needOnline()
    return replace(await api.createUser(client, body))
  }
  async function patchUser(id: string, body: PatchUserRequest): Promise<AdminUser> {
    needOnline()
    return replace(await api.patchUser(client, id, body))
  }
  /** Gives the worker exactly these cells. A cell has one worker at a time: the server took each
   *  cell given here off whoever held it, so the list does the same at once rather than show the
   *  moved cell under both until a reload. Says which cells came from whom. */
  async function setGrids(id: string, gridIds: string[]): Promise<{ user: AdminUser; moved: Array<{ gridId: string; from: AdminUser }> }> {
    needOnline()
    const user = await api.setUserGrids(client, id, gridIds)
    const moved: Array<{ gridId: string; from: AdminUser }> = []
    users.value = users.value.map((u) => {
      if (u.id === user.id) return user
      const taken = u.gridIds.filter((g) => user.gridIds.includes(g))
      if (!taken.length) return u
      const after = { ...u, gridIds: u.gridIds.filter((g) => !taken.includes(g)) }
      for (const gridId of taken) moved.push({ gridId, from: after })
      return after
    })
    if (!users.value.some((u) => u.id === user.id)) users.value.push(user)
    return { user, moved }
  }
  async function resetPassword(id: string, password: string): Promise<void> {
    needOnline()
    await api.resetPassword(client, id, password)
  }

  async function fetchAudit(filters: AuditFilters, page: { limit: number; offset: number }): Promise<AuditPage> {
    needOnline()
    return api.fetchAudit(client, filters, page)
  }
  async function auditCsv(filters: AuditFilters): Promise<{ blob: Blob; filename: string }> {
    needOnline()
    return api.downloadAuditCsv({ ...client, timeoutMs: 120_000 }, filters)
  }

  async function importTemplate(): Promise<{ blob: Blob; filename: string }> {
    needOnline()
    return api.downloadRegisterTemplate(client)
  }
  async function importFile(file: Blob, dryRun: boolean): Promise<ImportResult> {
    needOnline()
    // A large register takes the server a while to read and write.
    return api.importRegister({ ...client, timeoutMs: 300_000 }, file, dryRun)
  }

  async function exportRegister(format: 'xlsx' | 'csv', unmasked: boolean): Promise<{ blob: Blob; filename: string }> {
    needOnline()
    return api.downloadRegister(client, format, unmasked)
  }

  /** Grid cells from a GeoJSON file: a preview first (dryRun), then all or nothing. */
  async function importGridFile(file: Blob, dryRun: boolean): Promise<api.GridImportResult> {
    needOnline()
    let geojson: unknown
    try {
      geojson = JSON.parse(await file.text())
    } catch {
      throw new LocalError('notGeoJson')
    }
    return api.importGridCells(client, geojson, dryRun)
  }

  /** The full ID number, for showing once: the caller keeps it only in the page's memory. */
  async function revealIdNumber(residentId: string): Promise<string | null> {
    needOnline()
    return (await api.revealIdNumber(client, residentId)).idNumber
  }

  return { online, users, loading, error, loadUsers, createUser, patchUser, setGrids, resetPassword, fetchAudit, auditCsv, importTemplate, importFile, importGridFile, exportRegister, revealIdNumber }
})
