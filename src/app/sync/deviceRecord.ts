// A small record of this device kept in localStorage, outside IndexedDB on purpose: when the
// browser clears the database (storage pressure, "clear site data" of IndexedDB alone), this is
// the witness that says it happened and how many unsent records went with it.

const KEY = 'zoufang.device'

export interface DeviceRecord {
  deviceId: string
  ownerId: string
  unsent: number
  at: string
}

export function readDeviceRecord(): DeviceRecord | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as DeviceRecord | null
  } catch {
    return null
  }
}

export function writeDeviceRecord(r: DeviceRecord): void {
  localStorage.setItem(KEY, JSON.stringify(r))
}

/** Logout forgets it too: the next login starts clean, without a false alarm. */
export function forgetDeviceRecord(): void {
  localStorage.removeItem(KEY)
}
