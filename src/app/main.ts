import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { registerServiceWorker } from './pwa'
import { router } from './router'
import './styles.css'

document.documentElement.lang = localStorage.getItem('zoufang.locale') ?? 'zh-CN'
createApp(App).use(createPinia()).use(router).mount('#app')
registerServiceWorker()
