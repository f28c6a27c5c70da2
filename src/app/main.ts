import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { loadLocale, loadRest, locale } from './i18n'
import { registerServiceWorker, whenDeviceSettled } from './pwa'
import { router } from './router'
import './styles.css'

document.documentElement.lang = locale.value
// Someone who chose English gets it from the first paint (one small chunk more).
await loadLocale(locale.value)
createApp(App).use(createPinia()).use(router).mount('#app')
// The app shell's install and the words of the other pages wait until the device has its data
// and the home page has been drawn with it (a second, then an idle moment): they are for later
// and offline, not for the first screen (router.ts waits for the words before any other page).
const later = (f: () => void) => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(f, { timeout: 2000 }) : f()), 1000)
void whenDeviceSettled().then(() =>
  later(() => {
    registerServiceWorker()
    void loadRest().catch(() => undefined)
  }),
)
