import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import type { Building } from '../../../domain'
import { useMapContext } from '../map/mapContext'

/** The register page's buildings on the map: one dot each where it stands, the chosen one
 *  ringed. A tap on a dot chooses that building (to move or edit it). */
export default defineComponent({
  name: 'RegisterBuildingsLayer',
  props: {
    buildings: { type: Array as PropType<Building[]>, required: true },
    selectedId: { type: String as PropType<string | null>, default: null },
  },
  emits: { select: (_id: string) => true },
  setup(props, { emit }) {
    const ctx = useMapContext()
    const group = L.layerGroup()
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      if (!c) return
      for (const b of props.buildings) {
        if (!b.location) continue
        const at = c.toMap(b.location)
        const chosen = b.id === props.selectedId
        const dot = L.circleMarker([at.lat, at.lng], {
          pane: c.panes.cases,
          renderer: c.renderers.cases,
          radius: chosen ? 9 : 6,
          color: chosen ? '#b42318' : '#1f2328',
          weight: chosen ? 3 : 1,
          fillColor: '#1570ef',
          fillOpacity: 0.8,
        })
        dot.bindTooltip(`${b.compound}${b.number}`, { direction: 'top', offset: [0, -6] })
        dot.on('click', (e: L.LeafletMouseEvent) => {
          // The map's own click would place the chosen building here: this tap is a choice.
          L.DomEvent.stopPropagation(e)
          emit('select', b.id)
        })
        group.addLayer(dot)
      }
      if (!c.map.hasLayer(group)) group.addTo(c.map)
    }
    watch([() => props.buildings, () => props.selectedId, ctx], draw, { immediate: true })
    onBeforeUnmount(() => group.remove())
    return () => null
  },
})
