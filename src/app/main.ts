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
// The app shell's install and the words of the other pages: on a phone that has synced before,
// at once (an installed app opening offline goes straight to the page it was on, which needs
// them). On a new phone, once it has its data and the home page has been drawn with it (a
// second, then an idle moment): they are for later and offline, not for its first screen.
// router.ts also waits for the words before entering any page but login and home.
const later = (f: () => void) => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(f, { timeout: 2000 }) : f()), 1000)
const rest = () => {
  registerServiceWorker()
  void loadRest().catch(() => undefined)
}
void whenDeviceSettled().then((when) => (when === 'before' ? rest() : later(rest)))
