import { describe, expect, it } from 'vitest'
import { maskIdNumber, maskName, maskPhone } from '../../src/domain'

describe('maskName', () => {
  it('keeps the first and last character of a three-character name', () => {
    expect(maskName('张三明')).toBe('张*明')
  })

  it('keeps only the surname of a two-character name', () => {
    expect(maskName('张三')).toBe('张*')
  })

  it('masks every middle character of a longer name', () => {
    expect(maskName('欧阳建国')).toBe('欧**国')
  })

  it('leaves a single character as it is', () => {
    expect(maskName('张')).toBe('张')
  })

  it('ignores surrounding spaces', () => {
    expect(maskName('  王建国 ')).toBe('王*国')
    expect(maskName(' 张三 ')).toBe('张*')
  })

  it('shows nothing for a blank name', () => {
    expect(maskName('')).toBe('')
    expect(maskName('   ')).toBe('')
  })
})

describe('maskPhone', () => {
  it('shows the first three and last four digits of a mobile', () => {
    expect(maskPhone('13812341234')).toBe('138****1234')
  })

  it('ignores dashes and spaces in a mobile', () => {
    expect(maskPhone('138-1234-1234')).toBe('138****1234')
    expect(maskPhone('138 1234 1234')).toBe('138****1234')
  })

  it('shows only the last four digits of a landline', () => {
    expect(maskPhone('0531-88886666')).toBe('********6666')
    expect(maskPhone('1234')).toBe('****')
  })

  it('treats only 11 digits starting with 1 as a mobile', () => {
    // An 11-digit landline (3-digit area code) is not a mobile: only its last four show.
    expect(maskPhone('010-12345678')).toBe('*******5678')
    expect(maskPhone('1381234123')).toBe('******4123') // 10 digits
    expect(maskPhone('138123412345')).toBe('********2345') // 12 digits
  })

  it('hides a number of four digits or fewer completely, and shows the last four of five', () => {
    expect(maskPhone('123')).toBe('***')
    expect(maskPhone('12345')).toBe('*2345')
    expect(maskPhone('')).toBe('')
  })
})

describe('maskIdNumber', () => {
  it('shows the region code and the last four of an 18-character ID', () => {
    expect(maskIdNumber('370902195001011234')).toBe('370902********1234')
  })

  it('upper-cases a check character x', () => {
    expect(maskIdNumber('37090219500101123x')).toBe('370902********123X')
  })

  it('shows only the last four of anything else', () => {
    expect(maskIdNumber('G12345678')).toBe('*****5678')
    expect(maskIdNumber('37090219500101123')).toBe('*************1123') // 17 characters
    expect(maskIdNumber('3709021950010112345')).toBe('***************2345') // 19 characters
  })

  it('ignores surrounding spaces', () => {
    expect(maskIdNumber(' 370902195001011234 ')).toBe('370902********1234')
  })

  it('hides four characters or fewer completely, and shows the last four of five', () => {
    expect(maskIdNumber('ABCD')).toBe('****')
    expect(maskIdNumber('ABC')).toBe('***')
    expect(maskIdNumber('ABCDE')).toBe('*BCDE')
    expect(maskIdNumber('')).toBe('')
  })
})
