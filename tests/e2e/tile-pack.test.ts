import type { Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, startServer, type RunningServer } from './support'
import { startTileServer, type TileServer } from './tileServer'

// 离线地图: grid01 points Settings at the community's own tile server, downloads the offline map
// of their grid cell, and then — tile server stopped, network off, page reloaded — the worker map
// still draws the basemap, every tile answered by the service worker from Cache Storage.

let tiles: TileServer
let server: RunningServer
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
/** Tile responses the page saw, and whether the service worker answered them. */
const tileResponses: Array<{ url: string; fromSw: boolean; status: number }> = []
let packSize = 0
let packTileUrls: string[] = []

beforeAll(async () => {
  tiles = await startTileServer()
  // The app's Content-Security-Policy lets tiles come only from the configured hosts.
  server = await startServer({ TILE_HOSTS: tiles.origin })
  browser = await launchBrowser()
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  page.on('response', (r: Response) => {
    if (r.url().startsWith(tiles.origin)) tileResponses.push({ url: r.url(), fromSw: r.fromServiceWorker(), status: r.status() })
  })
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(tiles.origin)) tileResponses.push({ url: r.url(), fromSw: false, status: -1 })
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await tiles?.stop()
})

const cachedTileUrls = () => page.evaluate(async () => (await (await caches.open('zoufang-tiles')).keys()).map((r) => r.url))
const cachedTileCount = () => page.evaluate(async () => (await (await caches.open('zoufang-tiles')).keys()).length)

/** Loads URLs as the map does (<img crossorigin>, an image request the service worker sees). */
const loadAsImages = (urls: string[]) =>
  page.evaluate(
    (list) =>
      Promise.all(
        list.map(
          (src) =>
            new Promise<number>((resolve) => {
              const img = new Image()
              img.crossOrigin = 'anonymous'
              img.onload = () => resolve(img.naturalWidth)
              img.onerror = () => resolve(0)
              img.src = src
            }),
        ),
      ),
    urls,
  )

describe('the offline map of a worker’s grid cell', () => {
  it('logs in as grid01, gets the grid cell, and is controlled by the service worker', async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    await page.fill('input[name=username]', 'grid01')
    await page.fill('input[name=password]', 'zoufang')
    await page.click('button[type=submit]')
    await page.getByTestId('grid-card').first().waitFor()
    await expect.poll(async () => Number(await page.getByTestId('grid-households').first().textContent()), { timeout: 30_000 }).toBeGreaterThan(0)
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true)
  })

  it('shows the count and size before downloading, then downloads the pack from the own tile server', async () => {
    await page.locator('.app-nav a[href="/settings"]').click()
    await page.getByTestId('basemap-settings').waitFor()
    await page.locator('input[name=basemap][value=custom]').check()
    await page.fill('input[name=customUrl]', tiles.template)
    await page.locator('input[name=customUrl]').press('Enter') // 'change'
    await page.locator('input[name=customUrl]').blur()
    await page.getByTestId('tile-pack-estimate').waitFor()
    await page.selectOption('select[name=minZoom]', '16')
    await page.selectOption('select[name=maxZoom]', '18')
    const estimate = page.getByTestId('tile-pack-estimate')
    await expect.poll(() => estimate.textContent()).toMatch(/将下载 \d+ 张瓦片，约 [\d.]+ MB/)
    packSize = Number(await estimate.getAttribute('data-tiles'))
    // One demo grid cell, padded, at zoom 16–18: a few dozen tiles.
    expect(packSize).toBeGreaterThan(10)
    expect(packSize).toBeLessThan(200)
    expect(tiles.served).toHaveLength(0) // nothing fetched before the worker asks

    await page.locator('[data-action=download-tile-pack]').click()
    const status = page.getByTestId('tile-pack-status')
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 60_000 }).toBe('complete')
    const progress = page.getByTestId('tile-pack-progress')
    expect(await progress.getAttribute('data-done')).toBe(String(packSize))
    expect(await progress.getAttribute('data-total')).toBe(String(packSize))
    expect(await progress.getAttribute('data-failed')).toBe('0')
    expect(await status.textContent()).toContain(`已保存 ${packSize} 张瓦片`)

    // The tile server served each tile of the pack exactly once, and Cache Storage holds them all.
    expect(tiles.served).toHaveLength(packSize)
    expect(new Set(tiles.served).size).toBe(packSize)
    expect(tiles.served.every((p) => /^\/1[678]\/\d+\/\d+\.png$/.test(p))).toBe(true)
    expect(await cachedTileCount()).toBe(packSize)
    packTileUrls = await cachedTileUrls()
    expect(packTileUrls.map((u) => u.slice(tiles.origin.length)).sort()).toEqual([...tiles.served].sort())
    expect(await page.getByTestId('tile-pack-record').textContent()).toContain(`已下载：${packSize} 张瓦片`)
    expect(await page.getByTestId('storage-estimate').textContent()).toMatch(/本应用占用存储：[\d.]+ MB，浏览器允许约 [\d.]+ MB/)
  })

  it('with the tile server stopped, no network and a reload, the worker map draws the basemap from the pack', async () => {
    await tiles.stop()
    await browser.context.setOffline(true)
    await page.reload()
    await page.getByTestId('tile-pack-record').waitFor()
    expect(await page.getByTestId('tile-pack-record').textContent()).toContain(`已下载：${packSize} 张瓦片`)

    // As a worker opens it: from the nav, the app already running (offline, since the reload).
    tileResponses.length = 0
    await page.locator('.app-nav [data-nav=map]').click()
    await page.waitForURL(/\/worker-map/)
    await page.getByTestId('map').waitFor()
    // Wait for Leaflet to settle on its zoom and load what it can.
    const loadedTiles = () =>
      page.$$eval('img.leaflet-tile', (els) => els.filter((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0).length)
    await expect.poll(loadedTiles, { timeout: 20_000 }).toBeGreaterThan(0)
    await expect.poll(() => page.$$eval('img.leaflet-tile', (els) => els.every((e) => (e as HTMLImageElement).complete))).toBe(true)
    const shown = await page.$$eval('img.leaflet-tile', (els) => els.map((e) => ({ src: (e as HTMLImageElement).src, w: (e as HTMLImageElement).naturalWidth })))
    const inPack = new Set(packTileUrls)
    const loaded = shown.filter((t) => t.w > 0)
    // Every tile that loaded is one of the pack, answered by the service worker; every tile of
    // the pack the map asked for loaded (the map may also ask for tiles beyond the padded cell).
    expect(loaded.every((t) => inPack.has(t.src))).toBe(true)
    expect(shown.filter((t) => inPack.has(t.src)).every((t) => t.w === 256)).toBe(true)
    const ok = tileResponses.filter((r) => r.status === 200)
    expect(ok.length).toBeGreaterThanOrEqual(loaded.length)
    expect(ok.every((r) => r.fromSw)).toBe(true)
    expect(tiles.served).toHaveLength(packSize) // the stopped server served nothing more
    expect(await page.getByTestId('map').getAttribute('data-basemap')).toBe('custom')
    expect(await page.getByTestId('map-notice').count()).toBe(0)
  })

  it('a reload straight on the worker map, still offline, keeps the basemap from the pack', async () => {
    // Before the map is fitted to the grid cell it shows the whole country, whose tiles are not in
    // the pack: those failures must not make it give up the basemap.
    await page.reload()
    await page.getByTestId('map').waitFor()
    const loadedTiles = () =>
      page.$$eval('img.leaflet-tile', (els) => els.filter((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0).length)
    await expect.poll(loadedTiles, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(await page.getByTestId('map').getAttribute('data-basemap')).toBe('custom')
    expect(await page.getByTestId('map-notice').count()).toBe(0)
  })

  it('answers each tile of the pack from the service worker, and nothing else', async () => {
    // A fresh document (offline, the shell from the service worker): no image in memory.
    await page.goto(`${server.url}/settings`)
    await page.getByTestId('tile-pack-record').waitFor()
    const urls = await cachedTileUrls()
    tileResponses.length = 0
    const widths = await loadAsImages(urls)
    expect(widths.every((w) => w === 256)).toBe(true)
    expect(tileResponses).toHaveLength(urls.length)
    expect(tileResponses.every((r) => r.fromSw && r.status === 200)).toBe(true)
    // A tile outside the pack does not load: nothing else is answering.
    const [outside] = await loadAsImages([`${tiles.origin}/3/1/1.png`])
    expect(outside).toBe(0)
    // The app's own images still come from the precache, never into the tile cache.
    expect(await loadAsImages([`${server.url}/icons/icon-192.png`])).toEqual([192])
    expect((await cachedTileUrls()).filter((u) => u.startsWith(server.url))).toEqual([])
  })

  it('deletes the offline map: the cache is empty and the record gone', async () => {
    page.once('dialog', (d) => void d.accept())
    await page.locator('[data-action=delete-tile-pack]').click()
    await expect.poll(() => page.getByTestId('tile-pack-status').getAttribute('data-phase')).toBe('deleted')
    expect(await cachedTileCount()).toBe(0)
    expect(await page.getByTestId('tile-pack-record').count()).toBe(0)
    expect(await page.evaluate(() => localStorage.getItem('zoufang.tilePack'))).toBeNull()
    // And with it the tiles, offline (in a fresh document: none from the renderer's memory).
    await page.goto(`${server.url}/settings`)
    await page.getByTestId('tile-pack-record-none').waitFor()
    expect(await loadAsImages(packTileUrls.slice(0, 3))).toEqual([0, 0, 0])
  })
})
