import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { LoginResponse, User } from '../../domain'
import { db } from '../db/instance'
import { loginRequest, logoutRequest } from '../api/auth'
import { forgetDeviceRecord } from '../sync/deviceRecord'
import { ApiFailure } from '../api/client'

const KEY = 'zoufang.session'

function load(): LoginResponse | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as LoginResponse) : null
  } catch {
    return null
  }
}

/** Who is logged in on this phone. The token stays usable offline: an expired one only stops
 *  sync (the sync store asks for login), never local work. */
export const useSessionStore = defineStore('session', () => {
  const session = ref<LoginResponse | null>(load())
  const user = computed<User | null>(() => session.value?.user ?? null)
  const token = computed(() => session.value?.token ?? null)
  /** Set by a login that found this device holding nobody's records (a new phone, or the last
   *  person's wiped): the sync that follows starts from nothing, so it may ask for its first page
   *  at once, before reading the device (stores/sync.ts). Not kept across a reload. */
  const emptyDevice = ref(false)

  async function login(username: string, password: string): Promise<void> {
    const res = await loginRequest({}, username, password)
    // A different person on a shared phone must never see the last one's data.
    const owner = (await db.meta.get('ownerId'))?.value
    if (owner !== undefined && owner !== res.user.id) await wipeDevice()
    await db.meta.put({ key: 'ownerId', value: res.user.id })
    emptyDevice.value = owner !== res.user.id
    session.value = res
    localStorage.setItem(KEY, JSON.stringify(res))
  }

  /** Ends the session and deletes every record on the device. Callers ask the user first. */
  async function logout(): Promise<void> {
    if (session.value) await logoutRequest({ getToken: () => session.value?.token ?? null })
    session.value = null
    localStorage.removeItem(KEY)
    forgetDeviceRecord()
    // The last search may hold a resident's name; an offline map pack shows where the worker works.
    sessionStorage.clear()
    await import('../map/tilePack').then((m) => m.deletePack()).catch(() => undefined)
    await wipeDevice()
  }

  async function wipeDevice(): Promise<void> {
    await db.delete({ disableAutoOpen: false })
  }

  return { session, user, token, emptyDevice, login, logout }
})

/** Why a login failed, in the terms the login page speaks: no network, or refused. */
export function loginFailure(err: unknown): 'offline' | 'refused' {
  return err instanceof ApiFailure && (err.kind === 'network' || err.kind === 'timeout') ? 'offline' : 'refused'
}
