// Prints the mutation score per core folder from Stryker's JSON report (npm run mutation).
// Score = killed + timed out over all valid mutants (survived and uncovered count against it),
// as Stryker's own "% Mutation score · total" column.
import { readFileSync } from 'node:fs'

// Several reports (runs over different files, e.g. with STRYKER_TAG) are added up; a file in more
// than one counts from the last report that has it.
const reportFiles = process.argv.slice(2).length ? process.argv.slice(2) : ['reports/mutation/mutation.json']
const FOLDERS = ['src/domain', 'src/server/services', 'src/app/sync']
const report = { files: {} }
for (const f of reportFiles) Object.assign(report.files, JSON.parse(readFileSync(f, 'utf8')).files)
const tally = new Map(FOLDERS.map((f) => [f, { killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0 }]))
const survivors = []
for (const [path, { mutants }] of Object.entries(report.files)) {
  const folder = FOLDERS.find((f) => path.replaceAll('\\', '/').includes(`${f}/`))
  if (!folder) continue
  const t = tally.get(folder)
  for (const m of mutants) {
    if (m.status === 'Killed') t.killed++
    else if (m.status === 'Timeout') t.timeout++
    else if (m.status === 'Survived') t.survived++
    else if (m.status === 'NoCoverage') t.noCoverage++
    else t.errors++
    if (m.status === 'Survived' || m.status === 'NoCoverage') survivors.push(`${path}:${m.location.start.line} ${m.mutatorName} ${m.status}`)
  }
}
console.log('\nmutation score per folder (killed + timeout) / (killed + timeout + survived + no coverage)')
for (const [folder, t] of tally) {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage
  if (valid === 0) continue
  const score = ((100 * (t.killed + t.timeout)) / valid).toFixed(1)
  console.log(`  ${folder.padEnd(22)} ${score.padStart(5)} %   killed ${t.killed}, timeout ${t.timeout}, survived ${t.survived}, no coverage ${t.noCoverage}`)
}
if (process.env.SURVIVORS === '1') console.log(`\nsurvivors:\n${survivors.join('\n')}`)
