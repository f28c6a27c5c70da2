// Issue 6 item 1's figure: a 10,000-household, ~25,000-resident register .xlsx, dry run then
// import, median of 3 (a fresh demo store each run), and the process's peak RSS while it ran.
// Issue 10's: the same size for a community the register does not know yet, whose sheet makes
// 300 buildings in 10 new compounds (a third of them with 经纬度).
// Part of npm run bench (bench/run.ts), first: Node only, no browser.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import writeExcelFile from 'write-excel-file/node'
import { generateCommunity } from '../src/demo/generate'
import { REGISTER_HEADERS } from '../src/domain/registerImport'
import { seedCommunity } from '../src/server/seed'
import { importRegister, XLSX_TYPE } from '../src/server/services/registerImport'
import { openStore } from '../src/server/store/open'
import { median } from './stats'

const HOUSEHOLDS = 10_000
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂'

function idNumber(serial: number, year: number): string {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const s = String(serial).padStart(7, '0')
  const body = `370902${year}${s.slice(0, 4)}${s.slice(4)}`
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i]!
  return body + '10X98765432'[sum % 11]!
}

const NEW_BUILDINGS = 300

async function buildFile(community: ReturnType<typeof generateCommunity>, fresh = false): Promise<{ file: Buffer; residents: number }> {
  const codeOf = new Map(community.gridCells.map((g) => [g.id, g.code]))
  const buildings = community.buildings.filter((b) => b.kind === 'residential')
  const rows: string[][] = [[...REGISTER_HEADERS]]
  let serial = 0
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const b = buildings[h % buildings.length]!
    // A new community: building k of 300, in compound k % 10, spread over the cells.
    const k = h % NEW_BUILDINGS
    const where: Record<string, string> = fresh
      ? {
          网格编号: community.gridCells[k % community.gridCells.length]!.code,
          小区: `新建${k % 10}小区`,
          楼栋: `${Math.floor(k / 10) + 1}号楼`,
          单元: String((Math.floor(h / NEW_BUILDINGS) % 4) + 1),
          楼层: String((Math.floor(h / (NEW_BUILDINGS * 4)) % 18) + 1),
          室: `${h}`,
          经度: k % 3 === 0 ? (117.1 + k * 0.0001).toFixed(6) : '',
          纬度: k % 3 === 0 ? (36.18 + k * 0.0001).toFixed(6) : '',
        }
      : { 网格编号: codeOf.get(b.gridId)!, 小区: b.compound, 楼栋: b.number, 单元: '9', 楼层: '60', 室: `B${h}` }
    const size = [1, 2, 2, 3, 3, 4][h % 6]! // mean 2.5
    for (let p = 0; p < size; p++) {
      serial++
      const year = p === 0 ? 1950 + (h % 40) : 1990 + (serial % 30)
      const row: Record<string, string> = {
        ...where,
        住房: h % 5 === 0 ? '出租' : '自住',
        人户状态: '人户一致',
        姓名: `${SURNAMES[serial % SURNAMES.length]}${GIVEN[(serial * 7) % GIVEN.length]}${GIVEN[(serial * 3) % GIVEN.length]}`,
        性别: serial % 2 ? '男' : '女',
        出生年份: String(year),
        与户主关系: p === 0 ? '户主' : p === 1 ? '配偶' : '子女',
        联系电话: p === 0 ? `138${String(h).padStart(8, '0')}` : '',
        身份证号: serial % 10 === 0 ? '' : idNumber(serial, year),
        政治面貌: serial % 9 === 0 ? '党员' : '群众',
        标签: h % 7 === 0 && p === 0 ? '独居老人、低保' : '',
        关注程度: h % 7 === 0 ? '重点' : '一般',
      }
      rows.push(REGISTER_HEADERS.map((k) => row[k] ?? ''))
    }
  }
  return { file: await writeExcelFile(rows).toBuffer(), residents: serial }
}

/** Issue 6's figure: validating and writing a 10,000-household register .xlsx (median of 3);
 *  with `fresh`, issue 10's: the same for a sheet that creates 300 buildings. */
export async function benchRegisterImport(line: (name: string, value: string, goal: string) => void, fresh = false): Promise<void> {
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const community = generateCommunity({ households: 800 })
  const { file, residents } = await buildFile(community, fresh)
  const dry: number[] = []
  const imp: number[] = []
  for (let run = 0; run < 3; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'zoufang-bench-import-'))
    const store = await openStore(join(dir, 'zoufang.sqlite'))
    try {
      await seedCommunity(store, community)
      let t = performance.now()
      const preview = await importRegister(store, file, XLSX_TYPE, true)
      dry.push(performance.now() - t)
      if (preview.errors.length) throw new Error(`bench file has errors: ${preview.errors[0]!.message}`)
      t = performance.now()
      const done = await importRegister(store, file, XLSX_TYPE, false)
      imp.push(performance.now() - t)
      if (done.households.create !== HOUSEHOLDS) throw new Error(`created ${done.households.create}`)
      if (fresh && done.created.buildings !== NEW_BUILDINGS) throw new Error(`created ${done.created.buildings} buildings`)
    } finally {
      await store.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  const total = dry.map((d, i) => d + imp[i]!)
  line(
    `Register import${fresh ? `, new community (${NEW_BUILDINGS} new buildings)` : ''}, ${HOUSEHOLDS} households / ${residents} residents (${(file.length / 1024 / 1024).toFixed(1)} MB .xlsx), median of 3`,
    `${(median(total) / 1000).toFixed(1)} s`,
    `goal ≤ 15 s (validation ${Math.round(median(dry))} ms + write ${Math.round(median(imp))} ms; peak RSS ${Math.round(peak / 1024 / 1024)} MB)`,
  )
}
