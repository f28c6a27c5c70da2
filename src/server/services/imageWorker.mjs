// Entry of the image-decoding thread (imageDecoder.ts). Plain JavaScript on purpose: a worker
// thread does not inherit the tsx loader, so it loads the TypeScript through tsx's API itself.
import { tsImport } from 'tsx/esm/api'

await tsImport('./imageWorkerMain.ts', import.meta.url)
