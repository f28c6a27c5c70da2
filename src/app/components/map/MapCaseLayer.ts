import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import type { Card, Urgency } from '../../../domain'
import { CARD_OUTLINE, URGENCY_COLOR } from '../../map/colors'
import { useMapContext } from './mapContext'

export interface CasePoint {
  id: string
  lat: number
  lng: number
  urgency: Urgency
  card: Card
  title: string
}

/** Open cases: a dot coloured by urgency, ringed thick and dark when carded (督办). */
export default defineComponent({
  name: 'MapCaseLayer',
  props: { cases: { type: Array as PropType<CasePoint[]>, required: true } },
  emits: { pick: (id: string) => typeof id === 'string' },
  setup(props, { emit }) {
    const ctx = useMapContext()
    const group = L.featureGroup()
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      if (!c) return
      for (const k of props.cases) {
        const outline = CARD_OUTLINE[k.card]
        const m = L.circleMarker(c.toMap(k), { pane: c.panes.cases, renderer: c.renderers.cases, radius: 8, color: outline.color, weight: outline.weight, fillColor: URGENCY_COLOR[k.urgency], fillOpacity: 0.95 })
        m.bindTooltip(k.title, { direction: 'top', offset: [0, -8] })
        m.on('click', (e: L.LeafletMouseEvent) => {
          // The case, not the household dot that may lie under it.
          L.DomEvent.stopPropagation(e)
          emit('pick', k.id)
        })
        group.addLayer(m)
      }
      if (!c.map.hasLayer(group)) group.addTo(c.map)
    }
    watch([() => props.cases, ctx], draw, { immediate: true })
    onBeforeUnmount(() => group.remove())
    return () => null
  },
})
