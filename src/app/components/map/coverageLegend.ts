import { translate } from '../../i18n'
import { COVERAGE_BANDS, NO_COVERAGE_COLOR } from '../../map/colors'
import type { LegendItem } from './MapLegend.vue'

/** The grid cells' coverage bands as a legend's lines: the office's map and the street's. Called
 *  inside a computed, it follows the UI language. */
export function coverageLegend(): LegendItem[] {
  return [
    ...COVERAGE_BANDS.map((b) => ({ key: `band-${b.min}`, color: b.color, shape: 'square' as const, label: translate('map.legend.band', { from: Math.round(b.min * 100), to: Math.min(100, Math.round(b.max * 100)) }) })),
    { key: 'none', color: NO_COVERAGE_COLOR, shape: 'square' as const, label: translate('map.legend.noCoverage') },
  ]
}
