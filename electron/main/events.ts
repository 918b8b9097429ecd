/**
 * Events to the renderer over a MessagePort (MessageChannelMain): main keeps one end, hands the
 * other to the window's preload after each load (a reload gets a fresh port). Every payload is
 * checked against the contract before it leaves.
 */
import { MessageChannelMain } from 'electron';
import type { BrowserWindow, MessagePortMain } from 'electron';
import { events } from '../shared/contract';
import type { EventMessage } from '../shared/contract';
import { PORT_CHANNEL } from '../shared/call-names';

export class EventPorts {
  private readonly ports = new Map<number, MessagePortMain>();

  constructor(private readonly log: (msg: string) => void = console.warn) {}

  attach(win: BrowserWindow): void {
    const wc = win.webContents;
    const connect = () => {
      this.ports.get(wc.id)?.close();
      const { port1, port2 } = new MessageChannelMain();
      this.ports.set(wc.id, port1);
      wc.postMessage(PORT_CHANNEL, null, [port2]);
    };
    wc.on('did-finish-load', connect);
    wc.once('destroyed', () => {
      this.ports.get(wc.id)?.close();
      this.ports.delete(wc.id);
    });
  }

  send(message: EventMessage): void {
    const check = events[message.event].safeParse(message.payload);
    if (!check.success) {
      this.log(`dropped a ${message.event} event outside the contract`);
      return;
    }
    for (const port of this.ports.values()) port.postMessage(message);
  }
}
