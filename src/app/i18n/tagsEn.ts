import type { Tag } from '../../domain'

// English tag labels, loaded with the app (not with the lazy English messages) because search
// matches tags in both languages whatever the UI language is.
export const TAG_LABELS_EN: Record<Tag, string> = {
  dibao: 'Minimum income',
  tekun: 'Extreme poverty',
  disabled: 'Disabled',
  elderly_alone: 'Elderly, alone',
  empty_nest: 'Empty nest',
  aged_80: '80+',
  dementia_disabled: 'Dependent / dementia',
  serious_illness: 'Serious illness',
  unemployed: 'Laid off',
  left_behind_child: 'Left-behind child',
  child_in_need: 'Child in need',
  veteran_family: 'Veteran family',
  migrant: 'Migrant',
  rental: 'Rental',
  correction: 'Community correction',
  released: 'Released prisoner',
  mental_illness: 'Severe mental illness',
  drug: 'Drug history',
}
