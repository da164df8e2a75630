/**
 * Instrument 4, image compression: drop a photo (or use a bundled one), choose k, and see
 * the rank-k image per color channel beside the original with its error and size.
 */
import { putScaled } from '../charts.js';
import { channel, decodeImage, fetchImage, fileDrop, isGray, syntheticPicture, toImageData } from '../image.js';
import { explain, fmt, h, panel, pct, readout, select, slider } from '../ui.js';
import { ChannelSvd } from './compress-model.js';
import type { Instrument } from './types.js';

/** Longest image side the instrument works at (one dense SVD per channel). */
const MAX_SIDE = 200;

export const compressInstrument: Instrument = {
  id: 'compress',
  title: 'Image compression',
  async mount(container) {
    const root = panel('compress', 'Image compression');
    root.append(
      explain(
        'Each color channel of the picture is a matrix of pixel values; keeping its k largest singular triplets stores k(h + w + 1) numbers instead of h·w. ' +
          'Left: the original; right: the rank-k picture. Small k keeps the broad shapes, larger k adds the fine detail, and the error falls as k grows (Eckart–Young: no rank-k picture is closer).',
        'C ≈ C_k = U_k Σ_k V_kᵀ per channel,   size = channels · k(h + w + 1)',
      ),
    );
    const original = h('canvas', { class: 'picture', 'aria-label': 'original picture', 'data-canvas': 'original' });
    const compressed = h('canvas', { class: 'picture', 'aria-label': 'rank-k picture', 'data-canvas': 'compressed' });
    const error = readout('rel-error', 'Relative error');
    const psnr = readout('psnr', 'PSNR');
    const size = readout('size', 'Size (numbers kept)');
    const dims = h('p', { class: 'note', 'data-stat': 'image' });
    const status = h('p', { class: 'note', role: 'alert' });
    let model: ChannelSvd | undefined;
    let imageName = '';
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: 100, value: 10, onInput: () => update() });

    const use = (img: ImageData, name: string): void => {
      const chans = isGray(img) ? [channel(img, 0)] : [0, 1, 2].map((c) => channel(img, c));
      model = new ChannelSvd(chans);
      imageName = `${name}: ${img.width} × ${img.height}, ${chans.length === 1 ? 'gray' : 'RGB'}`;
      putScaled(original, img, 1);
      kSlider.setMax(model.maxK);
      root.setAttribute('data-ready', 'true');
      update();
    };
    const load = async (what: string): Promise<void> => {
      status.textContent = '';
      root.setAttribute('data-ready', 'false');
      try {
        if (what === 'synthetic') use(syntheticPicture(), 'built-in drawing');
        else use(await fetchImage(`assets/${what}.png`, MAX_SIDE), `${what}.png`);
      } catch (e) {
        status.textContent = `Could not load ${what}: ${e instanceof Error ? e.message : String(e)}; using the built-in drawing.`;
        use(syntheticPicture(), 'built-in drawing');
      }
    };
    const pick = select(
      'picture',
      'Picture',
      [
        ['camera', 'cameraman (gray)'],
        ['chelsea', 'Chelsea the cat (color)'],
        ['synthetic', 'built-in drawing (color)'],
      ],
      'camera',
      (v) => void load(v),
    );
    const drop = fileDrop('image-file', 'Drop a photo here, or choose a file', 'image/*', (file) => {
      void (async () => {
        try {
          use(await decodeImage(file, MAX_SIDE), file.name);
          status.textContent = '';
        } catch (e) {
          status.textContent = `Could not read ${file.name} as an image: ${e instanceof Error ? e.message : String(e)}`;
        }
      })();
    });
    root.append(
      h('div', { class: 'controls' }, pick, kSlider.element, drop),
      status,
      h('div', { class: 'readouts' }, error.element, psnr.element, size.element),
      dims,
      h('div', { class: 'pictures' }, h('figure', {}, original, h('figcaption', {}, 'original')), h('figure', {}, compressed, h('figcaption', { 'data-stat': 'caption' }, 'rank k'))),
    );
    container.append(root);

    function update(): void {
      if (!model) return;
      const k = kSlider.value();
      const r = model.at(k);
      putScaled(compressed, toImageData(r.channels), 1);
      error.set(r.relError, pct(r.relError, 2));
      psnr.set(r.psnr, `${fmt(r.psnr, 3)} dB`);
      size.set(r.ratio, `${r.stored.toLocaleString('en-US')} (${pct(r.ratio, 1)} of the pixels)`);
      dims.textContent = imageName;
      compressed.nextElementSibling!.textContent = `rank ${k}`;
    }
    await load('camera');
  },
};
