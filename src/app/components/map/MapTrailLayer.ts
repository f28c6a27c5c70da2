import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import { TRAIL_COLOR } from '../../map/colors'
import { useMapContext } from './mapContext'

export interface TrailStop {
  lat: number
  lng: number
  /** Tooltip: time, outcome, address. */
  label: string
}

/** A day's visits in time order: a line through them and each stop numbered 1, 2, 3 … */
export default defineComponent({
  name: 'MapTrailLayer',
  props: { stops: { type: Array as PropType<TrailStop[]>, required: true } },
  setup(props) {
    const ctx = useMapContext()
    const group = L.featureGroup()
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      if (!c) return
      const pts = props.stops.map((s) => c.toMap(s))
      if (pts.length > 1) group.addLayer(L.polyline(pts, { pane: c.panes.cases, renderer: c.renderers.cases, color: TRAIL_COLOR, weight: 3, opacity: 0.85, dashArray: '6 4', interactive: false }))
      pts.forEach((p, i) => {
        const icon = L.divIcon({ className: 'map-trail-stop', html: String(i + 1), iconSize: [22, 22], iconAnchor: [11, 11] })
        group.addLayer(L.marker(p, { icon, keyboard: false, zIndexOffset: 1000 }).bindTooltip(props.stops[i]!.label, { direction: 'top', offset: [0, -10] }))
      })
      if (!c.map.hasLayer(group)) group.addTo(c.map)
    }
    watch([() => props.stops, ctx], draw, { immediate: true })
    onBeforeUnmount(() => group.remove())
    return () => null
  },
})
