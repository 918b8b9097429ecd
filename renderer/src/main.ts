import { mount } from 'svelte';
import App from './App.svelte';
import { connectSocketApi } from './api/socket';
import { DISCONNECTED } from './api/errors';
import './app.css';

/**
 * The desktop preload provides `window.explorer`; in browser mode (`manifold-explorer serve`) the
 * same API is built over a WebSocket, with the token from the URL the server printed.
 */
async function connect(): Promise<void> {
  if (window.explorer) return;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  try {
    window.explorer = await connectSocketApi(
      `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`,
      () => window.dispatchEvent(new Event(DISCONNECTED)),
    );
  } catch (e) {
    console.error(e);
  }
}

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
await connect();
export default mount(App, { target });
