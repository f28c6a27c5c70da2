// Issue 14's figure for 公开: the public page as a resident meets it — a QR code opens /public on
// a cheap phone on a slow network (the same emulation as the first sync's), a fresh profile, no
// login — timed from navigation to the first vote shown, with every byte it received.
import { pathToFileURL } from 'node:url'
import { launchBrowser, startServer } from '../tests/e2e/support'
import { fmt, median } from './stats'

type Line = (name: string, value: string, goal: string) => void

const PHONE_NETWORK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 }

export async function benchPublicPage(opts: { runs: number; line: Line }): Promise<void> {
  const server = await startServer({ ZOUFANG_LOG: '0' })
  const times: number[] = []
  const bytes: number[] = []
  try {
    for (let i = 0; i < opts.runs; i++) {
      const browser = await launchBrowser()
      try {
        const page = browser.context.pages()[0] ?? (await browser.context.newPage())
        await page.setViewportSize({ width: 390, height: 844 })
        const cdp = await browser.context.newCDPSession(page)
        let received = 0
        cdp.on('Network.loadingFinished', (e) => void (received += e.encodedDataLength))
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK)
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
        await page.goto(`${server.url}/public`)
        await page.getByTestId('public-vote').first().waitFor()
        times.push(await page.evaluate(() => performance.now()))
        bytes.push(received)
      } finally {
        await browser.close()
      }
    }
  } finally {
    await server.stop()
  }
  opts.line(`Public page on a phone (Slow 4G, CPU ÷4), open → votes shown, median of ${opts.runs}`, fmt(median(times)), `figure (runs ${times.map((t) => fmt(t)).join(', ')})`)
  opts.line('  bytes on the wire, everything the page received', `${(median(bytes) / 1024).toFixed(1)} KB`, 'goal ≤ 50 KB')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchPublicPage({ runs: Number(process.env.BENCH_RUNS ?? 5), line: (n, v, g) => console.log(`${n.padEnd(58)} ${v.padStart(10)}   ${g}`) })
}
