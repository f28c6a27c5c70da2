/** One tab syncs at a time: a Web Lock where the browser has one (all current ones do), else a
 *  flag for this page. A tab that finds the lock taken skips its pass: the holder is syncing. */
let localBusy = false

export async function withSyncLock<T>(fn: () => Promise<T>): Promise<T | 'busy'> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (locks?.request) {
    return locks.request('zoufang-sync', { ifAvailable: true }, async (lock) => (lock ? fn() : 'busy' as const))
  }
  if (localBusy) return 'busy'
  localBusy = true
  try {
    return await fn()
  } finally {
    localBusy = false
  }
}
