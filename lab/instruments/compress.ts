/**
 * Instrument 4, image compression: drop a photo (or use a bundled one), choose k, and see the
 * rank-k picture per color channel beside the original and the residual, with the error and
 * the size against k (break-even rank marked). The SVDs run in the Lab's worker
 * (compress-jobs.ts); the picture is decoded here by the browser.
 */
import { DIVERGING, KEPT, MUTED, SERIES, colorBar, lineChart, putScaled, showBitmap } from '../charts.js';
import { decodeImage, fetchImage, fileDrop, isGray, syntheticPicture } from '../image.js';
import { equation, inlineMath, mi, mn, mo, norm, paren, row, sub, sup, transpose } from '../math.js';
import { choiceParam, figure, fmt, h, intParam, pct, readout, select, setControl, shell, slider } from '../ui.js';
import { latest } from '../worker-client.js';
import { RESIDUAL_RANGE, type CompressPictures, type compressViewPictures } from './compress-jobs.js';
import type { Instrument } from './types.js';

const ID = 'compress';
/**
 * Longest image side the instrument works at: the bundled cameraman at its full 512 x 512
 * (one dense SVD per channel, in the worker: about a second at 4x CPU throttling; every k
 * after that is a rank-k product). The pictures are scaled to their column by CSS.
 */
const MAX_SIDE = 512;
const PICTURES = ['camera', 'chelsea', 'synthetic'] as const;
const DEFAULTS = { picture: 'camera' as (typeof PICTURES)[number], k: 10 };

const EQ = equation([
  [row(mi('C'), mo('≈'), sub(mi('C'), mi('k')), mo('='), sub(mi('U'), mi('k')), sub(mi('Σ'), mi('k')), transpose(sub(mi('V'), mi('k')))), 'each channel C is approximated by C k equals U k Sigma k V k transpose'],
  [
    row(mi('size'), mo('='), mi('k'), paren(row(mi('h'), mo('+'), mi('w'), mo('+'), mn('1'))), mo('≤'), mi('h'), mi('w'), mo('⟺'), mi('k'), mo('≤'), `<mfrac>${row(mi('h'), mi('w'))}${row(mi('h'), mo('+'), mi('w'), mo('+'), mn('1'))}</mfrac>`),
    'the factors store k times h plus w plus 1 numbers, fewer than the h w pixels only while k is at most h w over h plus w plus 1',
  ],
  [
    row(norm(row(mi('C'), mo('−'), sub(mi('C'), mi('k')))), mo('='), `<msqrt>${row(`<munder><mo>∑</mo>${row(mi('i'), mo('&gt;'), mi('k'))}</munder>`, sup(sub(mi('σ'), mi('i')), mn('2')))}</msqrt>`),
    'the error is the root sum of squares of the dropped singular values (Eckart Young)',
  ],
]);

export const compressInstrument: Instrument = {
  id: ID,
  title: 'Image compression',
  async mount(container) {
    const s = shell({
      id: ID,
      title: 'Image compression',
      intro:
        'Each color channel of the picture is a matrix of pixel values; keeping its k largest singular triplets stores k(h + w + 1) numbers instead of h·w. ' +
        'Small k keeps the broad shapes, larger k adds the fine detail; the residual shows what is still missing (red: the original is brighter, blue: darker). ' +
        'The curve shows the error and the size for every k: past the break-even rank the factors take more room than the pixels.',
      equation: EQ,
    });
    const q = s.params;
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: MAX_SIDE, value: intParam(q, 'k', 1, MAX_SIDE, DEFAULTS.k), onInput: () => go() });
    const pickerOptions: [string, string][] = [
      ['camera', 'cameraman (gray)'],
      ['chelsea', 'Chelsea the cat (color)'],
      ['synthetic', 'built-in drawing (color)'],
    ];
    const pick = select('picture', 'Picture', pickerOptions, choiceParam(q, 'picture', PICTURES, DEFAULTS.picture), (v) => {
      if (v !== 'file') void load(v);
    });
    const pickInput = pick.querySelector('select')!;
    s.controls.append(pick, kSlider.element);

    const error = readout('rel-error', h('span', {}, 'Relative error ', inlineMath(row(norm(row(mi('C'), mo('−'), sub(mi('C'), mi('k')))), mo('/'), norm(mi('C'))), 'norm of C minus C k over norm of C')));
    const psnr = readout('psnr', 'PSNR');
    const size = readout('size', 'Size (numbers kept)');
    const dims = h('p', { class: 'note', 'data-stat': 'image' });
    const status = h('p', { class: 'note', role: 'alert' });
    const drop = fileDrop('image-file', 'Drop a photo here, or choose a file', 'image/*', (file) => {
      void (async () => {
        try {
          const img = await decodeImage(file, MAX_SIDE);
          let opt = pickInput.querySelector<HTMLOptionElement>('option[value="file"]');
          if (!opt) {
            opt = h('option', { value: 'file' });
            pickInput.append(opt);
          }
          opt.textContent = `your file: ${file.name}`;
          pickInput.value = 'file';
          status.textContent = '';
          use(img, file.name);
        } catch (e) {
          status.textContent = `Could not read ${file.name} as an image: ${e instanceof Error ? e.message : String(e)}`;
        }
        // The same file may be chosen again.
        const input = drop.querySelector('input');
        if (input) input.value = '';
      })();
    });
    s.side.append(h('div', { class: 'readouts' }, error.element, psnr.element, size.element), dims, drop, status);

    // Each picture's text equivalent (aria-label) says what it shows and its numbers.
    const original = h('canvas', { class: 'picture', role: 'img', 'aria-label': 'original picture', 'data-canvas': 'original' });
    const compressed = h('canvas', { class: 'picture', role: 'img', 'aria-label': 'rank-k picture', 'data-canvas': 'compressed' });
    const residual = h('canvas', { class: 'picture', role: 'img', 'aria-label': 'residual', 'data-canvas': 'residual' });
    // Crisp pixels only where a picture is drawn larger than it is (a small dropped photo on
    // a wide screen); drawn smaller (512 px in a phone's column) it is smoothed.
    const crisp = (): void => {
      for (const c of [original, compressed, residual]) c.classList.toggle('upscaled', c.clientWidth > c.width + 1);
    };
    new ResizeObserver(crisp).observe(original);
    const compressedCaption = h('figcaption', { 'data-stat': 'caption' }, 'rank k');
    const residualCaption = h('figcaption', {}, 'residual C − C_k');
    const curveBox = h('div', { class: 'chart-box' });
    s.pictures.append(
      figure(
        'pictures',
        h(
          'div',
          { class: 'compress-grid' },
          h('figure', {}, original, h('figcaption', {}, 'original')),
          h('figure', { class: 'compress-k' }, compressed, compressedCaption),
          h('figure', {}, residual, residualCaption, colorBar(DIVERGING, -RESIDUAL_RANGE, RESIDUAL_RANGE, 'original − rank-k, per pixel (0..1 scale)')),
        ),
      ),
      figure('curve', curveBox, 'Relative error and size (the factors’ numbers ÷ the pixels’) for every k; past the break-even rank the factors are larger than the picture.'),
    );
    container.append(s.root);

    let current: { id: number; img: ImageData; gray: boolean; name: string } | undefined;
    let nextImageId = 1;
    let last: CompressPictures | undefined;
    const channel = latest<typeof compressViewPictures>('compress.view', {
      onBusy: s.setBusy,
      onResult(out) {
        if (!current || out.id !== current.id) {
          // A picture that was replaced.
          out.picture.close();
          out.residualPicture.close();
          return;
        }
        last = out;
        showBitmap(compressed, out.picture);
        showBitmap(residual, out.residualPicture);
        crisp();
        show();
        s.root.setAttribute('data-ready', 'true');
        s.saveState();
      },
      onError(msg) {
        s.say(`Could not compress the picture: ${msg}`);
      },
    });
    const go = (): void => {
      if (!current) return;
      const { id, img, gray } = current;
      channel.request({ id, width: img.width, height: img.height, rgba: img.data, gray, k: kSlider.value() });
    };

    function use(img: ImageData, name: string): void {
      const gray = isGray(img);
      current = { id: nextImageId++, img, gray, name };
      dims.textContent = `${name}: ${img.width} × ${img.height}, ${gray ? 'gray' : 'RGB'}`;
      putScaled(original, img, 1);
      original.setAttribute('aria-label', `original picture: ${name}, ${img.width} × ${img.height} pixels, ${gray ? 'gray' : 'color'}`);
      kSlider.setMax(Math.min(img.width, img.height));
      s.root.setAttribute('data-ready', 'false');
      go();
    }

    async function load(what: string): Promise<void> {
      status.textContent = '';
      try {
        if (what === 'synthetic') use(syntheticPicture(), 'built-in drawing');
        else use(await fetchImage(`assets/${what}.png`, MAX_SIDE), `${what}.png`);
      } catch (e) {
        status.textContent = `Could not load ${what}: ${e instanceof Error ? e.message : String(e)}; using the built-in drawing.`;
        use(syntheticPicture(), 'built-in drawing');
      }
    }

    function show(): void {
      const r = last;
      if (!r || !current) return;
      compressedCaption.textContent = `rank ${r.k}`;
      const quality = r.lossless ? 'lossless (every 8-bit pixel is the original’s)' : `PSNR ${fmt(r.psnr, 3)} dB`;
      compressed.setAttribute('aria-label', `rank-${r.k} picture of ${current.name}, ${r.width} × ${r.height} pixels: relative error ${pct(r.relError, 2)}, ${quality}, ${r.stored.toLocaleString('en-US')} numbers kept (${pct(r.ratio, 1)} of the pixels)`);
      // The root mean square of the residual over all channels: 10^(-PSNR/20) on the 0..1 scale.
      const rms = Number.isFinite(r.psnr) ? 10 ** (-r.psnr / 20) : 0;
      residual.setAttribute('aria-label', `residual at rank ${r.k}, original minus rank-${r.k} picture per pixel on a blue (darker) to white (0) to red (brighter) scale from −${RESIDUAL_RANGE} to ${RESIDUAL_RANGE}: root mean square ${fmt(rms, 3)} of the 0..1 range`);
      residualCaption.textContent = `residual at rank ${r.k}`;
      error.set(r.relError, pct(r.relError, 2));
      psnr.set(r.psnr, r.lossless ? 'lossless' : `${fmt(r.psnr, 3)} dB`);
      psnr.element.title = r.lossless ? `every 8-bit pixel value is the original's (PSNR ${fmt(r.psnr, 3)} dB of rounding error)` : '';
      size.set(r.ratio, `${r.stored.toLocaleString('en-US')} (${pct(r.ratio, 1)} of the pixels)`);
      const over = r.k >= r.breakEven;
      s.say(
        `Rank ${r.k} of ${current.name}: error ${pct(r.relError, 2)}, ${r.lossless ? 'lossless (every 8-bit pixel is the original’s)' : `PSNR ${fmt(r.psnr, 3)} dB`}, ` +
          `${r.stored.toLocaleString('en-US')} numbers, ${pct(r.ratio, 1)} of the pixels${over ? ` — past the break-even rank ${r.breakEven}, no saving` : ''}.`,
      );
      // The curve on a task of its own (the pictures and numbers show first; neither task
      // is long at 4x CPU throttling), the instrument busy until it is drawn.
      clearTimeout(curveTimer);
      s.setBusy(true);
      curveTimer = setTimeout(() => {
        drawCurve(r);
        if (!channel.busy) s.setBusy(false);
      }, 0);
    }

    let curveTimer: ReturnType<typeof setTimeout> | undefined;
    function drawCurve(r: CompressPictures): void {
      const xs = Array.from({ length: r.maxK + 1 }, (_, k) => k);
      curveBox.replaceChildren(
        lineChart(
          [
            { name: 'relative error', color: SERIES[0], points: xs.map((k) => [k, r.curveError[k]!] as const) },
            { name: 'size ÷ pixels', color: SERIES[1], points: xs.map((k) => [k, r.curveStorage[k]!] as const) },
          ],
          'rank k',
          'fraction',
          {
            width: curveBox.clientWidth || 480,
            x: { domain: [0, r.maxK], integer: true },
            y: { domain: [0, Math.max(1, r.curveStorage[r.maxK]!) * 1.02] },
            markers: [
              { axis: 'x', value: r.k, label: `k = ${r.k}` },
              { axis: 'x', value: r.breakEven, label: `break-even k = ${r.breakEven}`, color: KEPT },
              { axis: 'y', value: 1, color: MUTED, label: 'as many numbers as pixels' },
            ],
            highlightX: r.k,
            yText: (v) => pct(v, 2),
          },
        ),
      );
    }

    s.onReset(() => {
      setControl(s.root, 'k', DEFAULTS.k);
      if (pickInput.value !== DEFAULTS.picture) setControl(s.root, 'picture', DEFAULTS.picture);
    });
    new ResizeObserver(() => {
      if (last && Math.abs((curveBox.clientWidth || 0) - (curveBox.querySelector('svg')?.width.baseVal.value ?? 0)) > 8) show();
    }).observe(curveBox);
    await load(pickInput.value === 'file' ? DEFAULTS.picture : pickInput.value);
  },
};
