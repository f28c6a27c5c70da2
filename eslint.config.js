// https://eslint.org/docs/latest/use/configure/configuration-files
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'reports/**', '.stryker-tmp*/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  // The layering of shared/docs/design.md, enforced.
  {
    files: ['src/domain/**'],
    rules: restrict([{ group: ['**/app/**', '**/server/**', '**/demo/**'], message: 'src/domain imports nothing from app, server or demo.' }]),
  },
  {
    files: ['src/app/**'],
    rules: restrict([
      { group: ['**/server/**', '**/demo/**'], message: 'The app never imports the server.' },
      { group: ['**/pinyinKey', 'pinyin-pro'], message: 'pinyin-pro (~140 KB) stays off the device: search keys ship with the records.' },
    ]),
  },
  {
    files: ['src/app/components/**', 'src/app/pages/**'],
    rules: restrict([
      { group: ['dexie', '**/db/*', '**/sync/*', '**/api/*'], message: 'Pages and components talk to stores, not to Dexie, sync or the api client.' },
      { group: ['**/server/**'], message: 'The app never imports the server.' },
    ]),
  },
  {
    files: ['src/public/**'],
    rules: restrict([
      { group: ['**/app/**', '**/server/**', '**/demo/**'], message: 'The public page loads nothing of the app or the server (docs/public.md).' },
      { group: ['vue', 'zod', 'dexie'], message: 'The public page stays light: no framework, no schema library (≤ 50 KB).' },
    ]),
  },
  {
    files: ['src/server/**'],
    rules: restrict([{ group: ['**/app/**'], message: 'The server never imports the app.' }]),
  },
  // SQL lives in src/server/store/ only: services keep the rules, routes the HTTP.
  {
    files: ['src/server/**'],
    ignores: ['src/server/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]",
          message: 'SQL lives in src/server/store/: call a store function.',
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: 'SQL lives in src/server/store/: call a store function.' },
      ],
    },
  },
)
