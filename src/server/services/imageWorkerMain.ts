import { parentPort } from 'node:worker_threads'
import { decodeImage } from './imageDecode'

// The decoding thread (started by imageDecoder.ts through imageWorker.mjs): one message in, one answer out.
parentPort!.on('message', ({ id, bytes }: { id: number; bytes: Uint8Array }) => {
  parentPort!.postMessage({ id, result: decodeImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) })
})
