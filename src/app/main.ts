import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { loadLocale, locale } from './i18n'
import { registerServiceWorkerWhenSettled } from './pwa'
import { router } from './router'
import './styles.css'

document.documentElement.lang = locale.value
// Someone who chose English gets it from the first paint (one small chunk more).
await loadLocale(locale.value)
createApp(App).use(createPinia()).use(router).mount('#app')
void registerServiceWorkerWhenSettled()
