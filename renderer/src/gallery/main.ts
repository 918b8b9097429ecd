// The developer gallery: every view and chart with synthetic data (see Gallery.svelte).
import { mount } from 'svelte';
import Gallery from './Gallery.svelte';
import '../app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from gallery.html');
export default mount(Gallery, { target });
