import { z } from 'zod'
import { say } from '../language'
import { Attention, Tag } from '../tags'
import { Day, GeoPoint, Id, Phone, Polygon } from './common'

/** 网格. Most communities have no GeoJSON of their cells (the grid map is a picture on the office
 *  wall): a cell without a boundary works everywhere but in the map's coverage colouring. */
export const GridCell = z.object({
  id: Id,
  code: z.string().trim().min(1).max(20),
  name: z.string().trim().min(1).max(50),
  polygon: Polygon.nullable(),
})
export type GridCell = z.infer<typeof GridCell>

/** 楼栋 (or a 平房 / 自建房 with no units) */
export const Building = z.object({
  id: Id,
  gridId: Id,
  compound: z.string().trim().min(1).max(50),
  number: z.string().trim().min(1).max(20),
  kind: z.enum(['residential', 'bungalow']),
  units: z.number().int().min(0).max(50),
  floors: z.number().int().min(0).max(120),
  location: GeoPoint.nullable(),
})
export type Building = z.infer<typeof Building>

/** ㎡, above 0 and at most 10,000, in hundredths at most (what a 房产证 states). */
export const FloorArea = z
  .number({ error: say('建筑面积应为数字（平方米）', 'Floor area must be a number (square metres)') })
  .positive({ error: say('建筑面积要大于0', 'Floor area must be more than 0') })
  .max(10_000, { error: say('建筑面积最多10000平方米', 'Floor area can be at most 10000 square metres') })
  .refine((m2) => Math.abs(m2 * 100 - Math.round(m2 * 100)) < 1e-6, { error: say('建筑面积最多两位小数', 'Floor area can have at most two decimals') })

const HouseholdNotes = z.string().trim().max(500, { error: say('备注最多500字', 'Notes can be at most 500 characters') })

/** 户. Address is building/unit/floor/room, with free text as fallback and for display. */
export const Household = z.object({
  id: Id,
  gridId: Id,
  buildingId: Id.nullable(),
  unit: z.string().trim().max(10).nullable(),
  floor: z.number().int().min(-5).max(120).nullable(),
  room: z.string().trim().max(20).nullable(),
  address: z.string().trim().min(1, { error: say('地址不能为空', 'The address cannot be empty') }).max(200),
  /** 自住 / 出租 / 空置 */
  housing: z.enum(['owner', 'rented', 'vacant']),
  /** 人户一致 / 人在户不在 / 户在人不在 */
  residency: z.enum(['consistent', 'present_unregistered', 'registered_absent']),
  phone: Phone.nullable(),
  tags: z.array(Tag).max(20),
  attention: Attention,
  /** Head of household's name, for lists (always shown masked there). */
  headName: z.string().trim().max(30),
  /** Names, pinyin and initials of everyone living in the household (not those who moved out or
   *  died): computed where records are written (server, import, demo) so the device never loads
   *  a pinyin library to search. */
  searchKey: z.string().max(2000),
  /** 备注: what the worker wants the next visitor to know. Records older than it have none. */
  notes: HouseholdNotes.default(''),
  /** Only on a copy sent to someone who may not see all of its tags (政法): the days between
   *  visits its full tags call for under the community's rules (null: no visit is due), so that
   *  the worker's list and the office's figures agree without the tags leaving the server.
   *  Absent on the register itself and on copies with every tag. */
  hiddenInterval: z.number().int().positive().nullable().optional(),
  /** 建筑面积 (专有部分面积) in ㎡, at most two decimals: a vote counts owners by it. Absent (or
   *  null) until the register has it; records older than it have none. */
  area: FloorArea.nullable().optional(),
})
export type Household = z.infer<typeof Household>

/** Fields of a household a worker may change from the device. Written out rather than picked
 *  with their defaults: zod applies a default inside optional(), and a patch of the phone alone
 *  would then also clear the notes. */
export const HouseholdPatch = Household.pick({
  housing: true,
  residency: true,
  phone: true,
  tags: true,
  attention: true,
})
  .extend({ notes: HouseholdNotes })
  .partial()
export type HouseholdPatch = z.infer<typeof HouseholdPatch>

/** 在住 / 已迁出 / 已去世. People who left stay on the register (the family's history, and
 *  visits that met them), shown apart and not counted as living there. */
export const ResidentStatus = z.enum(['present', 'moved_out', 'deceased'])
export type ResidentStatus = z.infer<typeof ResidentStatus>
const StatusDate = Day.nullable()
const MovedTo = z.string().trim().max(100, { error: say('去向最多100字', 'Moved to can be at most 100 characters') }).nullable()

/** 居民 */
export const Resident = z.object({
  id: Id,
  householdId: Id,
  gridId: Id,
  name: z.string().trim().min(1, { error: say('姓名不能为空', 'The name cannot be empty') }).max(30),
  sex: z.enum(['M', 'F']),
  birthYear: z.number().int().min(1900).max(2100),
  /** 与户主关系 */
  relation: z.enum(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']),
  phone: Phone.nullable(),
  /** ID numbers never leave the server whole: devices get them masked. */
  idMasked: z.string().max(20).nullable(),
  /** 政治面貌 */
  political: z.enum(['party', 'league', 'masses']),
  tags: z.array(Tag).max(20),
  // Records older than these fields have none: they are people living there.
  status: ResidentStatus.default('present'),
  /** The day they moved out or died; null while present. */
  statusDate: StatusDate.default(null),
  /** 去向, as the family tells it ("杭州市西湖区", "养老院"); only for someone who moved out. */
  movedTo: MovedTo.default(null),
})
export type Resident = z.infer<typeof Resident>

/** A resident added from the device (resident:create): the whole record, except that an ID
 *  number is the admin's to record (PIPL: collected with the register, revealed audited), and
 *  the server decides the grid cell from the household. */
export const ResidentCreate = Resident.extend({ idMasked: z.null({ error: say('身份证号只能由管理员在台账里登记', 'Only an administrator can enter an ID number, in the register') }).default(null) })
export type ResidentCreate = z.infer<typeof ResidentCreate>

/** What the device may change of a resident (resident:patch): the phone, and moving out or
 *  dying. Written out without defaults, for the reason given at HouseholdPatch. */
export const ResidentPatch = z
  .object({ phone: Phone.nullable(), status: ResidentStatus, statusDate: StatusDate, movedTo: MovedTo })
  .partial()
export type ResidentPatch = z.infer<typeof ResidentPatch>
