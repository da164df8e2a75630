/**
 * Instrument 2, scree and energy: bars of the energy share of each singular value, the
 * cumulative energy line, and for the chosen k the energy retained, the relative error
 * ||A - A_k||_F / ||A||_F and the storage of the rank-k factors. Fast vs slow decay, a
 * built-in picture, or a matrix/image the user drops in.
 */
import { screeChart } from '../charts.js';
import { channel, decodeImage, fetchImage, fileDrop, isGray, luminance, syntheticPicture } from '../image.js';
import { explain, h, panel, pct, readout, select, slider, fmt } from '../ui.js';
import { matrixWithSpectrum, parseNumberTable, plantedSpectrum, Spectrum, type Decay } from './scree-model.js';
import type { Instrument } from './types.js';

const M = 60, N = 40;

export const screeInstrument: Instrument = {
  id: 'scree',
  title: 'Scree & energy',
  mount(container) {
    const root = panel('scree', 'Scree & energy');
    root.append(
      explain(
        'Bars: the share of the energy σᵢ² / Σσ² carried by each singular value of A; the line: the cumulative energy kept by the first k. ' +
          'Slide k to the elbow where the bars go flat: with fast decay a few components keep nearly everything, with slow decay no small k fits well. ' +
          'The measured error of the best rank-k approximation equals the square root of the discarded energy (Eckart–Young).',
        '‖A − A_k‖_F / ‖A‖_F = √(Σ_{i>k} σᵢ²) / √(Σᵢ σᵢ²),   A_k = Σ_{i≤k} σᵢ uᵢ vᵢᵀ',
      ),
    );
    let spectrum = new Spectrum(matrixWithSpectrum(plantedSpectrum('fast', N), M, N));
    let sourceName = 'fast decay, 60 × 40';
    const energy = readout('energy', 'Energy retained');
    const error = readout('rel-error', 'Error ‖A−A_k‖_F/‖A‖_F');
    const ey = readout('eckart-young', 'Eckart–Young √(discarded)');
    const storage = readout('storage', 'Storage k(m+n+1)/mn');
    const info = h('p', { class: 'note', 'data-stat': 'source' });
    const chart = h('div', { class: 'chart-box' });
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: spectrum.maxK, value: 3, onInput: () => update() });
    const status = h('p', { class: 'note', role: 'alert' });

    const setMatrix = (A: ReturnType<typeof matrixWithSpectrum>, name: string): void => {
      spectrum = new Spectrum(A);
      sourceName = name;
      kSlider.setMax(spectrum.maxK);
      update();
    };
    const source = select(
      'source',
      'Matrix',
      [
        ['fast', 'fast decay σᵢ = 0.75ⁱ'],
        ['slow', 'slow decay σᵢ = (i+1)^−0.35'],
        ['flat', 'no decay (all σᵢ = 1)'],
        ['picture', 'a photo (cameraman, gray)'],
      ],
      'fast',
      (v) => {
        status.textContent = '';
        if (v === 'picture') {
          void fetchImage('assets/camera.png', 128).then(
            (img) => setMatrix(channel(img, 0), `cameraman photo, ${img.height} × ${img.width} gray levels`),
            () => setMatrix(luminance(syntheticPicture(96, 72)), 'built-in drawing, 72 × 96 gray levels'),
          );
        } else {
          setMatrix(matrixWithSpectrum(plantedSpectrum(v as Decay, N), M, N), `${v} decay, ${M} × ${N}`);
        }
      },
    );
    const drop = fileDrop('matrix-file', 'Drop an image or a CSV/TSV matrix here, or choose a file', 'image/*,.csv,.tsv,.txt', (file) => {
      void (async () => {
        try {
          if (file.type.startsWith('image/')) {
            const img = await decodeImage(file, 160);
            const A = isGray(img) ? channel(img, 0) : luminance(img);
            setMatrix(A, `${file.name}, ${A.rows} × ${A.cols} gray levels`);
          } else {
            const A = parseNumberTable(await file.text());
            setMatrix(A, `${file.name}, ${A.rows} × ${A.cols}`);
          }
          status.textContent = '';
        } catch (e) {
          status.textContent = `Could not use ${file.name}: ${e instanceof Error ? e.message : String(e)}`;
        }
      })();
    });
    root.append(
      h('div', { class: 'controls' }, source, kSlider.element, drop),
      status,
      h('div', { class: 'readouts' }, energy.element, error.element, ey.element, storage.element),
      info,
      chart,
    );
    container.append(root);

    function update(): void {
      const k = kSlider.value();
      const r = spectrum.at(k);
      energy.set(r.energy, pct(r.energy, 2));
      error.set(r.relError, fmt(r.relError));
      ey.set(r.eckartYoung, fmt(r.eckartYoung));
      storage.set(r.storage, `${pct(r.storage, 1)} (${k}·(${spectrum.A.rows}+${spectrum.A.cols}+1) of ${spectrum.A.rows}·${spectrum.A.cols})`);
      info.textContent = `${sourceName}; σ₁ = ${fmt(spectrum.s[0] ?? 0)}, σ_k = ${fmt(spectrum.s[k - 1] ?? 0)}, σ_min = ${fmt(spectrum.s[spectrum.maxK - 1] ?? 0)}`;
      chart.replaceChildren(screeChart(spectrum.share, spectrum.cumulative, k));
    }
    update();
  },
};
