import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import { PointsLayer } from '../../map/PointsLayer'
import { useMapContext } from './mapContext'

export interface PointSet {
  ids: readonly string[]
  /** WGS-84, as stored. */
  lat: Float64Array
  lng: Float64Array
  colors: Uint32Array
  sizes?: Uint8Array
}

/** Household dots: one canvas for all of them (PointsLayer). Emits the id of a tapped dot; the
 *  `selected` household (the one whose panel is open) gets a dark ring. */
export default defineComponent({
  name: 'MapPointsLayer',
  props: {
    points: { type: Object as PropType<PointSet>, required: true },
    selected: { type: String, default: '' },
  },
  emits: { pick: (id: string) => typeof id === 'string' },
  setup(props, { emit }) {
    const ctx = useMapContext()
    let layer: PointsLayer | null = null
    let ring: L.CircleMarker | null = null
    /** The points as drawn (shifted into the basemap's datum). */
    let drawn: { lat: Float64Array; lng: Float64Array } = { lat: new Float64Array(0), lng: new Float64Array(0) }

    function update(): void {
      const c = ctx.value
      if (!c) return
      layer ??= new PointsLayer({ pane: c.panes.points, onPick: (id) => emit('pick', id) })
      const { ids, colors, sizes } = props.points
      let { lat, lng } = props.points
      if (c.datum !== 'wgs84') {
        // Shift once per data change, not per frame.
        const la = new Float64Array(lat.length)
        const ln = new Float64Array(lng.length)
        for (let i = 0; i < lat.length; i++) {
          const q = c.toMap({ lat: lat[i]!, lng: lng[i]! })
          la[i] = q.lat
          ln[i] = q.lng
        }
        lat = la
        lng = ln
      }
      drawn = { lat, lng }
      layer.setData({ ids, lat, lng, colors, sizes })
      if (!c.map.hasLayer(layer)) layer.addTo(c.map)
      mark()
    }

    function mark(): void {
      const c = ctx.value
      ring?.remove()
      ring = null
      const i = props.selected ? props.points.ids.indexOf(props.selected) : -1
      if (!c || i < 0) return
      ring = L.circleMarker([drawn.lat[i]!, drawn.lng[i]!], { pane: c.panes.cases, renderer: c.renderers.cases, radius: 9, color: '#101828', weight: 3, fill: false, interactive: false }).addTo(c.map)
    }

    watch([() => props.points, ctx], update, { immediate: true })
    watch(() => props.selected, mark)
    onBeforeUnmount(() => {
      ring?.remove()
      layer?.remove()
    })
    return () => null
  },
})
