import { z } from 'zod'
import { say } from '../language'
import { Id, NOTHING_TO_CHANGE, Polygon } from './common'
import { Building, GridCell } from './register'

// The admin's register work (issue 10): the imports' answers, and the register page's edits of
// grid cells and buildings. Online only; the server validates with these, the client derives
// its types from them.

const Counts = z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() })

export const ImportRowError = z.object({ row: z.number().int(), column: z.string().nullable(), message: z.string() })
export type ImportRowError = z.infer<typeof ImportRowError>

/** What the import creates besides households and residents ("将新建 3 个小区、41 栋楼、96 个单元"). */
export const ImportCreated = z.object({
  grids: z.array(z.object({ code: z.string(), name: z.string() })),
  compounds: z.array(z.string()),
  buildings: z.number().int(),
  units: z.number().int(),
  /** New buildings without 经纬度: placed by the admin on the register page. */
  unlocated: z.number().int(),
  /** Existing buildings the rows give more units or floors, or a first place. */
  buildingsUpdated: z.number().int(),
})
export type ImportCreated = z.infer<typeof ImportCreated>

export const RegisterImportResult = z.object({
  dryRun: z.boolean(),
  households: Counts,
  residents: Counts,
  created: ImportCreated,
  errors: z.array(ImportRowError),
})
export type RegisterImportResult = z.infer<typeof RegisterImportResult>
export type RegisterImportPreview = Omit<RegisterImportResult, 'dryRun'>

/** POST /api/admin/grid-cells/geojson: cells by code, all or nothing; errors name the feature. */
export const GridImportResult = Counts.extend({
  dryRun: z.boolean(),
  /** `feature` is the 0-based index in the collection's `features`. */
  errors: z.array(z.object({ feature: z.number().int(), message: z.string() })),
})
export type GridImportResult = z.infer<typeof GridImportResult>
export type GridImportPreview = Omit<GridImportResult, 'dryRun'>

const Text = (max: number, empty: () => string) => z.string().trim().min(1, { error: empty }).max(max, { error: say(`最多${max}个字`, `At most ${max} characters`) })
const LatLng = z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })

export const CreateGridCellRequest = z.strictObject({
  code: Text(20, say('请填网格编号', 'Enter the grid cell code')),
  name: Text(50, say('请填网格名称', 'Enter the grid cell name')),
  polygon: Polygon.nullable().default(null),
})
export type CreateGridCellRequest = z.infer<typeof CreateGridCellRequest>

export const PatchGridCellRequest = z
  .strictObject({ name: Text(50, say('请填网格名称', 'Enter the grid cell name')), polygon: Polygon.nullable() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type PatchGridCellRequest = z.infer<typeof PatchGridCellRequest>

export const CreateBuildingRequest = z.strictObject({
  gridId: Id,
  compound: Text(50, say('请填小区名称', 'Enter the compound name')),
  number: Text(20, say('请填楼栋号', 'Enter the building number')),
  kind: z.enum(['residential', 'bungalow']).default('residential'),
  units: z.number().int().min(0).max(50).default(1),
  floors: z.number().int().min(0).max(120).default(6),
  /** WGS-84, as stored: a point picked on a GCJ-02 basemap is converted by the page first. */
  location: LatLng.nullable().default(null),
})
export type CreateBuildingRequest = z.infer<typeof CreateBuildingRequest>

export const PatchBuildingRequest = z
  .strictObject({
    gridId: Id,
    compound: Text(50, say('请填小区名称', 'Enter the compound name')),
    number: Text(20, say('请填楼栋号', 'Enter the building number')),
    kind: z.enum(['residential', 'bungalow']),
    units: z.number().int().min(0).max(50),
    floors: z.number().int().min(0).max(120),
    location: LatLng.nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type PatchBuildingRequest = z.infer<typeof PatchBuildingRequest>

/** Renames a compound on every building that carries its name. */
export const RenameCompoundRequest = z.strictObject({ from: Text(50, say('请填原小区名称', 'Enter the old compound name')), to: Text(50, say('请填新小区名称', 'Enter the new compound name')) })
export type RenameCompoundRequest = z.infer<typeof RenameCompoundRequest>

/** The register page's view: every cell and building with how many households live in it. */
export const RegisterStructure = z.object({
  grids: z.array(GridCell.extend({ households: z.number().int() })),
  buildings: z.array(Building.extend({ households: z.number().int() })),
})
export type RegisterStructure = z.infer<typeof RegisterStructure>

export const RenameCompoundResult = z.object({ buildings: z.number().int() })
