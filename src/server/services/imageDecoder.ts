import { Worker } from 'node:worker_threads'
import type { DecodedImage } from './imageDecode'

// One decoding thread for the process, started on first use. If it dies (a hostile file that
// exhausts its memory limit), the photos it held are answered "not an image" and the next
// upload starts a new thread.
let worker: Worker | null = null
const waiting = new Map<number, (r: DecodedImage | null) => void>()
let nextId = 0

function decoder(): Worker {
  if (worker) return worker
  const w = new Worker(new URL('./imageWorker.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  })
  w.on('message', ({ id, result }: { id: number; result: DecodedImage | null }) => {
    waiting.get(id)?.(result)
    waiting.delete(id)
    if (waiting.size === 0) w.unref()
  })
  const fail = () => {
    if (worker === w) worker = null
    for (const answer of waiting.values()) answer(null)
    waiting.clear()
  }
  w.on('error', fail)
  w.on('exit', fail)
  return (worker = w)
}

/** decodeImage (imageDecode.ts) on the decoding thread. */
export function decodeImageOffThread(bytes: Buffer): Promise<DecodedImage | null> {
  return new Promise((resolve) => {
    const id = nextId++
    waiting.set(id, resolve)
    // Held open only while a photo is being decoded: an idle thread never keeps the process up.
    const w = decoder()
    w.ref()
    w.postMessage({ id, bytes })
  })
}
