/**
 * The Lab shell: loads lowrank's WASM kernels (the same ones Node uses), shows one
 * instrument at a time chosen by the URL fragment (#ratings, #scree, ...; an instrument may
 * keep its settings after a '?', #tensor-train?d=5), mounting each
 * the first time it is shown, and reports the kernel backend in the footer.
 */
import { getThreads, ready } from '../src/browser.js';
import { compressInstrument } from './instruments/compress.js';
import { nmfInstrument } from './instruments/nmf.js';
import { pcaInstrument } from './instruments/pca.js';
import { ratingsInstrument } from './instruments/ratings.js';
import { screeInstrument } from './instruments/scree.js';
import { tensorTrainInstrument } from './instruments/tensor-train.js';
import type { Instrument } from './instruments/types.js';
import { h } from './ui.js';

const INSTRUMENTS: readonly Instrument[] = [ratingsInstrument, screeInstrument, nmfInstrument, compressInstrument, pcaInstrument, tensorTrainInstrument];

async function boot(): Promise<void> {
  const nav = document.getElementById('tabs')!;
  const main = document.getElementById('main')!;
  const footer = document.getElementById('backend')!;
  const backend = await ready();
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  footer.textContent = `kernels: ${backend}, ${getThreads()} thread(s)${isolated ? ', cross-origin isolated' : ' (not cross-origin isolated: one thread)'}`;
  document.body.dataset.backend = backend;

  const slots = new Map<string, HTMLElement>();
  const links = new Map<string, HTMLAnchorElement>();
  for (const ins of INSTRUMENTS) {
    const a = h('a', { href: `#${ins.id}`, 'data-tab': ins.id }, ins.title);
    links.set(ins.id, a);
    nav.append(h('li', {}, a));
    const slot = h('div', { class: 'slot', 'data-instrument': ins.id, hidden: true });
    slots.set(ins.id, slot);
    main.append(slot);
  }

  const show = async (): Promise<void> => {
    // '#id' or '#id?settings' (an instrument may keep its controls' state after the '?').
    const id = location.hash.slice(1).split('?')[0];
    const ins = INSTRUMENTS.find((x) => x.id === id) ?? INSTRUMENTS[0]!;
    for (const [key, slot] of slots) slot.hidden = key !== ins.id;
    for (const [key, a] of links) {
      if (key === ins.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const slot = slots.get(ins.id)!;
    if (slot.dataset.state === 'ready') {
      // Shown again: the instrument puts its settings back into the URL (ui.ts shell).
      slot.querySelector('.instrument')?.dispatchEvent(new Event('lab:shown'));
    }
    if (slot.dataset.state === undefined) {
      slot.dataset.state = 'loading';
      try {
        await ins.mount(slot);
        slot.dataset.state = 'ready';
      } catch (e) {
        slot.dataset.state = 'error';
        slot.append(h('p', { class: 'note', role: 'alert' }, `This instrument failed to start: ${e instanceof Error ? e.message : String(e)}`));
        throw e;
      }
    }
    document.title = `${ins.title} · lowrank lab`;
  };
  window.addEventListener('hashchange', () => void show());
  await show();
  document.body.dataset.ready = 'true';
}

void boot();
