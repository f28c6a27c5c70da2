import L from 'leaflet'
import { defineComponent, onBeforeUnmount, watch, type PropType } from 'vue'
import type { Polygon } from '../../../domain'
import { polygonLatLngs } from '../../../domain/gcj02'
import { useMapContext } from './mapContext'

export interface GridShape {
  id: string
  polygon: Polygon
  fill: string
  fillOpacity?: number
  /** Shown at the cell's centre (name and coverage). */
  label?: string
  selected?: boolean
}

/** Grid cells as polygons on the canvas renderer. Not clickable: a tap inside a cell is meant
 *  for the household under the finger. */
export default defineComponent({
  name: 'MapGridLayer',
  props: { grids: { type: Array as PropType<GridShape[]>, required: true } },
  setup(props) {
    const ctx = useMapContext()
    const group = L.layerGroup()
    const polys: L.Polygon[] = []
    /** A cell's label shows only when the cell is wide enough on screen to hold it: zoomed out,
     *  thirteen labels would cover the households they are about. */
    function fitLabels(): void {
      const map = ctx.value?.map
      if (!map) return
      for (const p of polys) {
        if (!p.getTooltip()) continue
        const b = p.getBounds()
        const wide = map.latLngToContainerPoint(b.getNorthEast()).x - map.latLngToContainerPoint(b.getSouthWest()).x > 130
        if (wide && !p.isTooltipOpen()) p.openTooltip()
        else if (!wide && p.isTooltipOpen()) p.closeTooltip()
      }
    }
    function draw(): void {
      const c = ctx.value
      group.clearLayers()
      polys.length = 0
      if (!c) return
      for (const g of props.grids) {
        const poly = L.polygon(polygonLatLngs(g.polygon, c.datum), {
          pane: c.panes.grid,
          renderer: c.renderers.grid,
          interactive: false,
          color: g.selected ? '#1f2328' : '#475467',
          weight: g.selected ? 3 : 1.5,
          fillColor: g.fill,
          fillOpacity: g.fillOpacity ?? 0.35,
        })
        if (g.label) poly.bindTooltip(g.label, { permanent: true, direction: 'center', className: 'map-grid-label', interactive: false })
        group.addLayer(poly)
        polys.push(poly)
      }
      if (!c.map.hasLayer(group)) group.addTo(c.map)
      fitLabels()
    }
    watch([() => props.grids, ctx], draw, { immediate: true })
    watch(
      ctx,
      (c, old) => {
        old?.map.off('zoomend', fitLabels)
        c?.map.on('zoomend', fitLabels)
      },
      { immediate: true },
    )
    onBeforeUnmount(() => {
      ctx.value?.map.off('zoomend', fitLabels)
      group.remove()
    })
    return () => null
  },
})
