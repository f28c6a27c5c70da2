import type { ChecklistTemplate } from './schemas/checklist'

// The four checklist templates every community starts with (domain.md, "Visits"): the demo's,
// and a community the street office adds (src/server/services/communities.ts). A community's
// admin edits them from there (每户走访清单). In Chinese in both UI languages: they are the
// community's own words (what its workers tick and what is exported), not the app's.

export type TemplateCode = 'routine' | 'care' | 'safety' | 'outreach'

export const DEFAULT_TEMPLATES_ZH: readonly Omit<ChecklistTemplate, 'id'>[] = [
  {
    code: 'routine',
    name: '日常走访',
    version: 1,
    items: [
      { id: 'members_changed', label: '家庭成员有无变化', kind: 'choice', options: ['无变化', '新增', '迁出', '去世'], required: true },
      { id: 'occupants', label: '在住人数', kind: 'number', min: 0, max: 30, required: false },
      { id: 'contact_verified', label: '联系方式核实', kind: 'yesno', required: true },
      { id: 'hardship', label: '生活困难', kind: 'text', required: false },
      { id: 'health', label: '健康状况', kind: 'choice', options: ['良好', '一般', '较差'], required: false },
      { id: 'hazard', label: '安全隐患', kind: 'yesno', required: false },
      // Not 诉求: that is the visit form's own field (群众诉求); this asks about the building.
      { id: 'facilities', label: '楼道和小区设施问题', kind: 'text', required: false },
    ],
  },
  {
    code: 'care',
    name: '关爱探访',
    version: 1,
    items: [
      { id: 'health', label: '身体状况', kind: 'choice', options: ['良好', '一般', '较差', '卧床'], required: true },
      { id: 'daily_living', label: '饮食起居', kind: 'choice', options: ['能自理', '部分需要照顾', '需要专人照顾'], required: true },
      { id: 'medication', label: '用药', kind: 'choice', options: ['按时服药', '偶尔漏服', '无需用药'], required: false },
      { id: 'emergency_contact', label: '紧急联系人已登记', kind: 'yesno', required: false },
      { id: 'gas_safe', label: '居家安全：燃气', kind: 'yesno', required: false },
      { id: 'wiring_safe', label: '居家安全：电线', kind: 'yesno', required: false },
      { id: 'anti_slip', label: '居家安全：防滑', kind: 'yesno', required: false },
      { id: 'home_service', label: '是否需要上门服务', kind: 'yesno', required: false },
      { id: 'other', label: '其他情况', kind: 'text', required: false },
    ],
  },
  {
    code: 'safety',
    name: '安全隐患排查',
    version: 1,
    items: [
      { id: 'ebike_charging', label: '电动车楼道充电', kind: 'yesno', required: true },
      { id: 'corridor_clutter', label: '楼道堆物', kind: 'yesno', required: true },
      { id: 'gas_pipe', label: '燃气管道隐患', kind: 'yesno', required: false },
      { id: 'old_wiring', label: '电线老化', kind: 'yesno', required: false },
      { id: 'fire_exit', label: '消防通道堵塞', kind: 'yesno', required: false },
      { id: 'high_throw', label: '高空抛物隐患', kind: 'yesno', required: false },
      { id: 'extinguishers', label: '家用灭火器数量', kind: 'number', min: 0, max: 10, required: false },
      { id: 'rectification', label: '整改要求', kind: 'text', required: false },
    ],
  },
  {
    code: 'outreach',
    name: '政策宣传',
    version: 1,
    items: [
      { id: 'medical_insurance', label: '医保缴费政策', kind: 'yesno', required: false },
      { id: 'pension_cert', label: '养老资格认证', kind: 'yesno', required: false },
      { id: 'anti_fraud', label: '反诈宣传', kind: 'yesno', required: false },
      { id: 'fire_safety', label: '消防安全知识', kind: 'yesno', required: false },
    ],
  },
]
