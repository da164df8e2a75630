/**
 * Instrument 2, scree and energy: bars of the energy share of each singular value (linear
 * or log axis), the cumulative energy line, and for the chosen k the energy retained, the
 * relative error ||A - A_k||_F / ||A||_F measured and by Eckart-Young, and the storage of
 * the rank-k factors, with the rank where storage passes 100% marked. Fast, slow or no
 * decay, a photo, or the reader's own CSV or image ("your file" in the menu). The SVDs run
 * in the Lab's compute worker (scree-jobs.ts).
 */
import { screeChart } from '../charts.js';
import { channel, decodeImage, fetchImage, fileDrop, isGray, luminance, syntheticPicture } from '../image.js';
import { equation, frac, inlineMath, mi, mo, norm, row, sqrt, sub, sum, sup, transpose } from '../math.js';
import { boolParam, choiceParam, figure, fmt, h, intParam, pct, readout, select, setControl, shell, slider, toggle } from '../ui.js';
import { compute, latest } from '../worker-client.js';
import type { Matrix } from '../../src/browser.js';
import type { Decay } from './scree-model.js';
import { PLANTED_COLS, PLANTED_ROWS, type ScreeSource, type ScreeView, type screeView } from './scree-jobs.js';
import type { Instrument } from './types.js';

const ID = 'scree';
type Choice = Decay | 'picture' | 'file';
const RESTORABLE: readonly Choice[] = ['fast', 'slow', 'flat', 'picture'];
const DEFAULTS = { source: 'fast' as Choice, k: 3, log: false };

const sigma2 = (i: string): string => sup(sub(mi('σ'), mi(i)), '<mn>2</mn>');
/** ||A - A_k||_F / ||A||_F = sqrt(sum_{i>k} s_i^2) / sqrt(sum_i s_i^2);  A_k = sum_{i<=k} s_i u_i v_i^T. */
const EQ = equation([
  [
    row(frac(norm(row(mi('A'), mo('−'), sub(mi('A'), mi('k')))), norm(mi('A'))), mo('='), frac(sqrt(row(sum(row(mi('i'), mo('&gt;'), mi('k'))), sigma2('i'))), sqrt(row(sum(mi('i')), sigma2('i'))))),
    'the relative error of the best rank k approximation is the square root of the energy of the dropped singular values over the square root of the total energy',
  ],
  [
    row(sub(mi('A'), mi('k')), mo('='), sum(row(mi('i'), mo('≤'), mi('k'))), sub(mi('σ'), mi('i')), sub(mi('u'), mi('i')), transpose(sub(mi('v'), mi('i')))),
    'A k is the sum of the first k singular triplets sigma i u i v i transposed',
  ],
  [
    row(mi('k'), mo('('), mi('m'), mo('+'), mi('n'), mo('+'), '<mn>1</mn>', mo(')'), mo('/'), mi('m'), mi('n'), '<mtext>&#xA0;stored</mtext>'),
    'storage: k times m plus n plus 1 numbers out of m times n',
  ],
]);

/** A matrix as row-major values for the worker. */
function rowMajor(A: Matrix): Float64Array {
  const out = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out[i * A.cols + j] = A.get(i, j);
  return out;
}

export const screeInstrument: Instrument = {
  id: ID,
  title: 'Scree & energy',
  mount(container) {
    const s = shell({
      id: ID,
      title: 'Scree & energy',
      intro:
        'Bars: the share of the energy σᵢ² / Σσ² carried by each singular value of A; the line: the cumulative energy kept by the first k. ' +
        'Slide k to the elbow where the bars go flat: with fast decay a few components keep nearly everything, with slow decay no small k fits well. ' +
        'The measured error of the best rank-k approximation equals the square root of the discarded energy (Eckart–Young). Switch on the log scale to see the small singular values.',
      equation: EQ,
    });
    const q = s.params;
    const names: Record<Choice, string> = {
      fast: 'fast decay σᵢ = 0.75ⁱ',
      slow: 'slow decay σᵢ = (i+1)^−0.35',
      flat: 'no decay (all σᵢ = 1)',
      picture: 'a photo (cameraman, gray)',
      file: 'your file',
    };
    const sourceSelect = select('source', 'Matrix', RESTORABLE.map((c) => [c, names[c]] as const), choiceParam(q, 'source', RESTORABLE, DEFAULTS.source), () => {
      status.textContent = '';
      request();
    });
    const sourceInput = sourceSelect.querySelector('select')!;
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: 400, value: intParam(q, 'k', 1, 400, DEFAULTS.k), onInput: () => request() });
    const logToggle = toggle('log', 'Log scale', boolParam(q, 'log', DEFAULTS.log), () => draw());
    const logInput = logToggle.querySelector('input')!;
    s.controls.append(sourceSelect, kSlider.element, logToggle);

    const energy = readout('energy', 'Energy retained');
    const error = readout('rel-error', h('span', {}, 'Error ', inlineMath(row(norm(row(mi('A'), mo('−'), sub(mi('A'), mi('k')))), mo('/'), norm(mi('A'))), 'norm of A minus A k over norm of A'), ', measured'));
    const ey = readout('eckart-young', 'Eckart–Young √(dropped energy)');
    const storage = readout('storage', h('span', {}, 'Storage ', inlineMath(row(mi('k'), mo('('), mi('m'), mo('+'), mi('n'), mo('+'), '<mn>1</mn>', mo(')'), mo('/'), mi('m'), mi('n')), 'k times m plus n plus 1 over m n')));
    const info = h('p', { class: 'note', 'data-stat': 'source' });
    const status = h('p', { class: 'note', role: 'alert' });
    const drop = fileDrop('matrix-file', 'Your own matrix: drop an image or a CSV/TSV file here, or choose one', 'image/*,.csv,.tsv,.txt', (file) => void loadFile(file));
    const fileInput = drop.querySelector('input[type="file"]') as HTMLInputElement;
    s.side.append(h('div', { class: 'readouts' }, energy.element, error.element, ey.element, storage.element), info, status, drop);

    const chartBox = h('div', { class: 'chart-box' });
    s.pictures.append(figure('scree', chartBox, 'Filled bars are kept, outlined ones dropped; past the dashed line marked “storage 100%” the factors take more numbers than A itself.'));
    container.append(s.root);

    // Sources: the built-in ones by name, the photo once fetched, the reader's file once loaded.
    let picture: ScreeSource | undefined;
    let pictureName = '';
    let file: { source: ScreeSource; name: string } | undefined;
    let fileCount = 0;
    let last: { view: ScreeView; key: string; name: string } | undefined;

    const sourceFor = async (c: Choice): Promise<{ source: ScreeSource; name: string }> => {
      if (c === 'file' && file) return file;
      if (c === 'picture') {
        if (!picture) {
          let A: Matrix;
          try {
            const img = await fetchImage('assets/camera.png', 128);
            A = channel(img, 0);
            pictureName = `cameraman photo, ${img.height} × ${img.width} gray levels`;
          } catch {
            A = luminance(syntheticPicture(96, 72));
            pictureName = 'built-in drawing, 72 × 96 gray levels';
          }
          picture = { key: 'picture', kind: 'values', rows: A.rows, cols: A.cols, data: rowMajor(A) };
        }
        return { source: picture, name: pictureName };
      }
      const d = (c === 'file' ? 'fast' : c) as Decay;
      return { source: { key: `planted:${d}`, kind: 'planted', decay: d }, name: `${names[d]}, ${PLANTED_ROWS} × ${PLANTED_COLS}` };
    };

    let current: { key: string; name: string } | undefined;
    const channelView = latest<typeof screeView>('scree.view', {
      onBusy: s.setBusy,
      onResult(view, input) {
        if (input.source.key !== current?.key) return; // a source since replaced
        last = { view, key: input.source.key, name: current.name };
        kSlider.setMax(Math.min(view.rows, view.cols));
        draw();
        s.saveState();
      },
      onError(msg) {
        status.textContent = `Could not compute the spectrum: ${msg}`;
      },
    });

    let asking = 0;
    async function request(): Promise<void> {
      const ticket = ++asking;
      const c = sourceInput.value as Choice;
      if (c === 'picture' && !picture) s.setBusy(true);
      const src = await sourceFor(c);
      if (ticket !== asking) return; // the controls moved on while the photo loaded
      current = { key: src.source.key, name: src.name };
      channelView.request({ source: src.source, k: kSlider.value() });
    }

    async function loadFile(f: File): Promise<void> {
      s.setBusy(true);
      try {
        let source: ScreeSource;
        let name: string;
        const key = `file:${++fileCount}`;
        if (f.type.startsWith('image/')) {
          const img = await decodeImage(f, 160);
          const A = isGray(img) ? channel(img, 0) : luminance(img);
          source = { key, kind: 'values', rows: A.rows, cols: A.cols, data: rowMajor(A) };
          name = `${f.name}, ${A.rows} × ${A.cols} gray levels`;
        } else {
          source = { key, kind: 'csv', text: await f.text() };
          name = f.name;
        }
        // Parse and factor it once before it becomes a menu entry: a bad file leaves everything as it was.
        const v = await compute<typeof screeView>('scree.view', { source, k: 1 });
        if (source.kind === 'csv') name = `${f.name}, ${v.rows} × ${v.cols}`;
        file = { source, name };
        let opt = sourceInput.querySelector<HTMLOptionElement>('option[value="file"]');
        if (!opt) {
          opt = h('option', { value: 'file' });
          sourceInput.append(opt);
        }
        opt.textContent = `your file: ${f.name}`;
        sourceInput.value = 'file';
        status.textContent = '';
        await request();
      } catch (e) {
        status.textContent = `Could not use ${f.name}: ${e instanceof Error ? e.message : String(e)}`;
        if (!channelView.busy) s.setBusy(false);
      } finally {
        // The input shows no file name of its own (the menu names the data shown), and the same file can be chosen again.
        fileInput.value = '';
      }
    }

    function draw(): void {
      if (!last) return;
      const { view: v, name } = last;
      const r = v.at;
      const k = r.k;
      const { rows: m, cols: n } = v;
      const maxK = Math.min(m, n);
      storage.set(r.storage, pct(r.storage, 1));
      const width = Math.max(280, chartBox.clientWidth || 480);
      const breakEven = (m * n) / (m + n + 1);
      if (v.zero) {
        energy.set(NaN, '—');
        error.set(0, '0');
        ey.set(0, '0');
        info.textContent = `${name}: every entry is 0.`;
        chartBox.replaceChildren(h('p', { class: 'note', 'data-stat': 'zero' }, 'This matrix is all zeros: every singular value is 0, so it has no energy to keep or lose, and A₀ = 0 already reproduces it exactly. Try another matrix.'));
        s.say(`${name} is all zeros: there is no energy to retain; every rank reproduces it exactly.`);
        return;
      }
      energy.set(r.energy, pct(r.energy, 2));
      error.set(r.relError, fmt(r.relError));
      ey.set(r.eckartYoung, fmt(r.eckartYoung));
      info.textContent = `${name}; σ₁ = ${fmt(v.s[0] ?? 0)}, σ_k = ${fmt(v.s[k - 1] ?? 0)}, σ_min = ${fmt(v.s[maxK - 1] ?? 0)}`;
      chartBox.replaceChildren(
        screeChart(v.share, v.cumulative, k, {
          width,
          log: logInput.checked,
          markers: breakEven < maxK ? [{ axis: 'x', value: Math.floor(breakEven) + 0.5, label: 'storage 100%', color: '#f87171' }] : [],
        }),
      );
      s.say(
        `k = ${k} of ${maxK}: ${pct(r.energy, 2)} of the energy kept, relative error ${fmt(r.relError, 3)}, ` +
          `storage ${pct(r.storage, 1)} of the matrix${r.storage > 1 ? ' (more than A itself)' : ''}.`,
      );
    }

    s.onReset(() => {
      status.textContent = '';
      logInput.checked = DEFAULTS.log;
      sourceInput.value = DEFAULTS.source;
      kSlider.input.max = '400'; // the last matrix may have been smaller than k; its result sets the range again
      setControl(s.root, 'k', DEFAULTS.k);
    });

    let drawnWidth = 0;
    new ResizeObserver(() => {
      const w = chartBox.clientWidth;
      if (w === 0 || Math.abs(w - drawnWidth) < 8) return;
      drawnWidth = w;
      requestAnimationFrame(draw);
    }).observe(chartBox);

    void request();
  },
};
