// Server, import and demo only: pinyin-pro is ~140 KB gzipped and must stay off the device's
// first load (an ESLint rule keeps src/app from importing this file).
import { pinyin } from 'pinyin-pro'

/** Search key for a set of names: the names, their full pinyin and their initials, lower case.
 *  "张三" → "张三 zhangsan zs". */
export function pinyinKey(names: readonly string[]): string {
  const parts: string[] = []
  for (const name of names) {
    const syllables = pinyin(name, { toneType: 'none', type: 'array', v: true })
    parts.push(name, syllables.join('').toLowerCase(), syllables.map((s) => s[0] ?? '').join('').toLowerCase())
  }
  return parts.join(' ')
}
