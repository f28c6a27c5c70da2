import { describe, expect, it } from 'vitest'
import { pinyinKey } from '../../src/domain/pinyinKey'

// The search key a household carries, so a worker can find 张三 by typing 张三, zhangsan or zs.
describe('pinyinKey', () => {
  it('holds the name, its full pinyin without tones and its initials, in lower case', () => {
    expect(pinyinKey(['张三'])).toBe('张三 zhangsan zs')
  })

  it('writes ü as v, as a phone keyboard types it', () => {
    expect(pinyinKey(['吕小明'])).toBe('吕小明 lvxiaoming lxm')
  })

  it('keys everyone in the household, one after another', () => {
    expect(pinyinKey(['吕小明', '欧阳娜娜'])).toBe('吕小明 lvxiaoming lxm 欧阳娜娜 ouyangnana oynn')
  })

  it('is empty for a household with nobody in it', () => {
    expect(pinyinKey([])).toBe('')
  })
})
