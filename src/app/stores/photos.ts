import { defineStore } from 'pinia'
import { onScopeDispose, ref, watch, type Ref } from 'vue'
import { db } from '../db/instance'
import { compressPhoto, sha256Hex } from '../photos/compress'
import { fetchAttachment } from '../api/attachments'
import { useSessionStore } from './session'

/** Photos live in Dexie as blobs, by SHA-256: taken offline, shown offline, uploaded by sync. */
export const usePhotosStore = defineStore('photos', () => {
  const session = useSessionStore()

  /** Downscales and compresses a camera photo and keeps it on the device. Returns its id. */
  async function addPhoto(file: Blob): Promise<string> {
    const photo = await compressPhoto(file)
    const sha256 = await sha256Hex(photo.blob)
    await db.transaction('rw', db.photos, async () => {
      if (await db.photos.get(sha256)) return
      await db.photos.put({ sha256, blob: photo.blob, mime: photo.mime, size: photo.blob.size, width: photo.width, height: photo.height, uploaded: 0, createdAt: new Date().toISOString() })
    })
    return sha256
  }

  /** An object URL for a photo: from the device, or fetched once and kept for offline use. */
  function usePhotoUrl(sha256: Ref<string>): Ref<string | null> {
    const url = ref<string | null>(null)
    let current: string | null = null
    const release = () => {
      if (current) URL.revokeObjectURL(current)
      current = null
    }
    watch(
      sha256,
      async (sha) => {
        release()
        url.value = null
        let row = await db.photos.get(sha)
        if (!row) {
          try {
            const blob = await fetchAttachment({ getToken: () => session.token }, sha)
            row = { sha256: sha, blob, mime: blob.type || 'image/jpeg', size: blob.size, width: 0, height: 0, uploaded: 1, createdAt: new Date().toISOString() }
            await db.photos.put(row)
          } catch {
            return // offline and never seen here: the thumbnail says so
          }
        }
        current = URL.createObjectURL(row.blob)
        url.value = current
      },
      { immediate: true },
    )
    onScopeDispose(release)
    return url
  }

  return { addPhoto, usePhotoUrl }
})
