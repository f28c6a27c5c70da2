import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { db } from '../db/instance'

export interface StorageInfo {
  persisted: boolean | null
  usage: number | null
  quota: number | null
}

/** The phone as a place to keep data: persistent storage, space, other tabs, installation. */
export const useDeviceStore = defineStore('device', () => {
  const storage = ref<StorageInfo>({ persisted: null, usage: null, quota: null })
  const nearlyFull = computed(() => storage.value.usage !== null && !!storage.value.quota && storage.value.usage / storage.value.quota >= 0.8)
  /** Another tab upgraded the database: this one closed its connection and must reload. */
  const staleTab = ref(false)
  const installPrompt = ref<{ prompt(): Promise<void>; userChoice: Promise<{ outcome: string }> } | null>(null)
  const installed = ref(typeof window !== 'undefined' && window.matchMedia?.('(display-mode: standalone)').matches === true)
  const isIos = typeof navigator !== 'undefined' && /iPad|iPhone|iPod/.test(navigator.userAgent)

  async function refreshStorage(): Promise<void> {
    const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
    if (!s) return
    const [persisted, estimate] = await Promise.all([s.persisted?.().catch(() => null) ?? null, s.estimate?.().catch(() => null) ?? null])
    storage.value = { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null }
  }

  /** After login: ask the browser not to evict our data under storage pressure. */
  async function askPersistence(): Promise<void> {
    const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
    if (s?.persist && !(await s.persisted?.())) await s.persist().catch(() => false)
    await refreshStorage()
  }

  async function install(): Promise<boolean> {
    const p = installPrompt.value
    if (!p) return false
    await p.prompt()
    const choice = await p.userChoice
    installPrompt.value = null
    return choice.outcome === 'accepted'
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault() // keep it for our own button instead of the browser's mini-infobar
      installPrompt.value = e as unknown as typeof installPrompt.value
    })
    window.addEventListener('appinstalled', () => {
      installed.value = true
      installPrompt.value = null
    })
    // A newer version of the app in another tab wants to upgrade the database: let it, and say so.
    db.on('versionchange', () => {
      db.close()
      staleTab.value = true
      return false
    })
  }

  return { storage, nearlyFull, staleTab, installPrompt, installed, isIos, refreshStorage, askPersistence, install }
})
