import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import type { StreetCommunityRow } from '../../../domain'
import { useMapContext } from '../map/mapContext'

/** One dot per community at the middle of its mapped cells, larger the more priority households
 *  are overdue, red when any case waits on the street; its name and figures on hover. */
export default defineComponent({
  name: 'StreetMapLayer',
  props: {
    communities: { type: Array as PropType<StreetCommunityRow[]>, required: true },
    label: { type: Function as PropType<(row: StreetCommunityRow) => string>, required: true },
  },
  setup(props) {
    const ctx = useMapContext()
    const group = L.featureGroup()
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      if (!c) return
      for (const row of props.communities) {
        if (!row.center) continue
        const m = L.circleMarker(c.toMap(row.center), {
          pane: c.panes.cases,
          renderer: c.renderers.cases,
          radius: 10 + Math.min(20, Math.sqrt(row.vulnerableOverdue) * 2),
          color: '#333',
          weight: 1,
          fillColor: row.escalatedCases > 0 ? '#d32f2f' : '#1976d2',
          fillOpacity: 0.7,
        })
        m.bindTooltip(props.label(row), { permanent: true, direction: 'top' })
        group.addLayer(m)
      }
      if (!c.map.hasLayer(group)) group.addTo(c.map)
    }
    watch([ctx, () => props.communities], draw, { immediate: true })
    onBeforeUnmount(() => group.remove())
    return () => null
  },
})
