import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import { POSITION_COLOR } from '../../map/colors'
import { useMapContext } from './mapContext'

/** The phone's own position: a blue dot, and its accuracy as a faint circle. */
export default defineComponent({
  name: 'MapPositionLayer',
  props: { position: { type: Object as PropType<{ lat: number; lng: number; accuracy: number | null } | null>, default: null } },
  setup(props) {
    const ctx = useMapContext()
    const group = L.layerGroup()
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      if (!c || !props.position) return
      const p = c.toMap(props.position)
      if (props.position.accuracy) group.addLayer(L.circle(p, { pane: c.panes.cases, renderer: c.renderers.cases, radius: props.position.accuracy, color: POSITION_COLOR, weight: 1, fillOpacity: 0.1, interactive: false }))
      group.addLayer(L.circleMarker(p, { pane: c.panes.cases, renderer: c.renderers.cases, radius: 7, color: '#ffffff', weight: 3, fillColor: POSITION_COLOR, fillOpacity: 1, interactive: false, className: 'map-position' }))
      if (!c.map.hasLayer(group)) group.addTo(c.map)
    }
    watch([() => props.position, ctx], draw, { immediate: true })
    onBeforeUnmount(() => group.remove())
    return () => null
  },
})
