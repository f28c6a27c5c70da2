// Synthetic Chinese names: common surnames (weighted roughly by frequency in Shandong)
// and given names typical of the birth decade. Any resemblance to a real person is chance.
import type { Rng } from './random'

/** [surname, weight]. Polyphonic surnames (单, 解, 曾, 查 …) are left out so search keys read right. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 9.0], ['李', 8.0], ['张', 7.5], ['刘', 6.0], ['陈', 3.0], ['杨', 3.0], ['赵', 3.2], ['黄', 1.2],
  ['周', 1.6], ['吴', 1.3], ['孙', 3.0], ['徐', 2.2], ['马', 2.0], ['高', 2.2], ['于', 1.6], ['董', 1.4],
  ['胡', 0.9], ['朱', 1.2], ['郭', 1.3], ['何', 0.6], ['宋', 1.3], ['韩', 1.1], ['唐', 0.5], ['冯', 0.8],
  ['程', 0.7], ['曹', 1.0], ['田', 1.0], ['吕', 0.9], ['姜', 1.2], ['范', 0.7], ['袁', 0.5], ['许', 0.8],
  ['魏', 0.9], ['秦', 0.5], ['崔', 0.8], ['贾', 0.6], ['孔', 0.8], ['毕', 0.4], ['岳', 0.4], ['邢', 0.4],
  ['任', 0.6], ['石', 0.6], ['房', 0.3], ['武', 0.6], ['郑', 0.8], ['谢', 0.4], ['梁', 0.6], ['林', 0.6],
  ['侯', 0.5], ['邵', 0.4], ['薛', 0.4], ['尹', 0.3], ['卢', 0.4], ['葛', 0.3], ['颜', 0.3], ['牛', 0.3],
]

type Era = 'old' | 'mid' | 'young'

const GIVEN: Record<Era, { M: readonly string[]; F: readonly string[] }> = {
  // born before 1965
  old: {
    M: ['建国', '国强', '建华', '志强', '德胜', '振华', '保国', '玉林', '永福', '庆云', '树林', '洪亮', '广田',
      '德明', '金山', '玉田', '福海', '国庆', '建民', '文华', '成', '明', '勇', '军', '福', '山', '海', '林', '忠'],
    F: ['秀英', '桂兰', '淑珍', '玉兰', '凤英', '秀兰', '桂英', '玉梅', '素芬', '淑英', '金凤', '秀珍', '玉珍',
      '兰英', '桂芝', '秀云', '凤兰', '玉华', '淑华', '素珍', '芳', '英', '兰', '珍', '华', '梅'],
  },
  // 1965–1989
  mid: {
    M: ['伟', '磊', '涛', '强', '军', '勇', '杰', '斌', '鹏', '超', '刚', '波', '海涛', '建军', '晓东', '志刚',
      '立新', '卫东', '海波', '俊峰', '振宇', '明亮', '宏伟', '东升', '学文', '春雷', '国栋', '文杰', '永刚'],
    F: ['丽', '静', '敏', '燕', '艳', '娟', '霞', '芳', '婷', '慧', '颖', '红梅', '丽娟', '晓燕', '海燕',
      '春梅', '秀梅', '丽华', '雪梅', '晓红', '翠萍', '丽萍', '玉洁', '文静', '美玲'],
  },
  // 1990 and later
  young: {
    M: ['浩', '宇', '鑫', '博', '晨', '铭', '睿', '浩然', '子轩', '宇轩', '梓豪', '俊杰', '一鸣', '思远',
      '家豪', '天宇', '皓轩', '子豪', '泽宇', '昊天', '嘉懿', '明轩', '博文', '志远', '奕辰'],
    F: ['悦', '琪', '萱', '婧', '欣怡', '梓涵', '子涵', '雨涵', '诗涵', '梦琪', '思雨', '佳怡', '雨欣',
      '可馨', '若曦', '语桐', '一诺', '佳琪', '梓萱', '晓萌', '欣妍', '雨桐', '梦瑶', '静怡'],
  },
}

function eraOf(birthYear: number): Era {
  if (birthYear < 1965) return 'old'
  if (birthYear < 1990) return 'mid'
  return 'young'
}

export function pickSurname(rng: Rng): string {
  return rng.weighted(SURNAMES)
}

/** A given name fitting sex and birth decade. */
export function pickGivenName(rng: Rng, sex: 'M' | 'F', birthYear: number): string {
  return rng.pick(GIVEN[eraOf(birthYear)][sex])
}

/** Surname + given name; `avoid` keeps the names in one household distinct. */
export function fullName(rng: Rng, surname: string, sex: 'M' | 'F', birthYear: number, avoid?: ReadonlySet<string>): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const name = surname + pickGivenName(rng, sex, birthYear)
    if (!avoid?.has(name)) return name
  }
  return surname + pickGivenName(rng, sex, birthYear)
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 1 → 一, 13 → 十三, 20 → 二十, 45 → 四十五; 100 and above stay as digits. */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!
  if (n < 20) return `十${n % 10 === 0 ? '' : DIGITS[n % 10]}`
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 === 0 ? '' : DIGITS[n % 10]}`
  return String(n)
}
