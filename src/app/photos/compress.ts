import { LocalError } from '../i18n/localError'
// Phone cameras make 12-megapixel, 4–8 MB JPEGs; a grid worker's data plan and the server's disk
// want ≤ 300 KB. Downscale so the long side is ≤ 1600 px, then lower the JPEG quality (and, if
// that is not enough, the size) until the photo fits.

export interface CompressedPhoto {
  blob: Blob
  width: number
  height: number
  mime: 'image/jpeg'
}

export const MAX_SIDE = 1600
export const MAX_BYTES = 300 * 1024

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement

function makeCanvas(w: number, h: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h)
  const c = document.createElement('canvas')
  c.width = w
  c.height = h
  return c
}

function encode(canvas: AnyCanvas, quality: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality })
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new LocalError('photoFailed'))), 'image/jpeg', quality))
}

export async function compressPhoto(file: Blob, maxSide = MAX_SIDE, maxBytes = MAX_BYTES): Promise<CompressedPhoto> {
  // 'from-image' applies the EXIF orientation: portrait photos stay upright.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => {
    throw new LocalError('photoUnreadable')
  })
  try {
    let scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
    for (let attempt = 0; attempt < 5; attempt++) {
      const width = Math.max(1, Math.round(bitmap.width * scale))
      const height = Math.max(1, Math.round(bitmap.height * scale))
      const canvas = makeCanvas(width, height)
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
      if (!ctx) throw new LocalError('photoFailed')
      ctx.drawImage(bitmap, 0, 0, width, height)
      for (const quality of [0.82, 0.7, 0.58, 0.46]) {
        const blob = await encode(canvas, quality)
        if (blob.size <= maxBytes) return { blob, width, height, mime: 'image/jpeg' }
      }
      scale *= 0.75
    }
    throw new LocalError('photoTooBig')
  } finally {
    bitmap.close()
  }
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
