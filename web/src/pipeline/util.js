// Small helpers shared by the pipeline pages (board, opportunity page, weekly
// report): PATCH calls, money and stage labels, text lists, ISO weeks.
// The server contracts are in the helpers' brief (B1 sales views, B2 pipeline
// and reports) and server/record_routes.cc for the generic record REST.
import { request } from '../api.js';
import { fmtNum } from '../format.js';

export const patch = (path, body) => request('PATCH', path, body);

// The decision roles in chain order; the server answers them in this order too
// (DecisionRoles), other roles follow.
export const CHAIN_ROLES = ['user', 'evaluator', 'budget_holder', 'decision_maker', 'signer'];

// Amounts are shown whole (the pipeline works in thousands, cents are noise).
export function fmtMoney(lang, n) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '–';
  return fmtNum(lang, Math.round(Number(n)));
}

// A stage's label: the translation of a default stage key unless the project
// gave the stage its own label.
const DEFAULT_STAGES = ['lead', 'qualified', 'solution', 'negotiation', 'won', 'lost'];
export function stageLabel(tOr, stage) {
  if (!stage) return '–';
  const key = typeof stage === 'string' ? stage : stage.key;
  const label = typeof stage === 'string' ? '' : stage.label || '';
  const own = label && label.toLowerCase() !== String(key).toLowerCase();
  if (DEFAULT_STAGES.includes(key) && !own) return tOr(`pl.stage.${key}`, key);
  return label || tOr(`pl.stage.${key}`, key);
}

export function outcomeBadge(outcome) {
  if (outcome === 'won') return 'green';
  if (outcome === 'lost') return 'red';
  return 'blue';
}

// Text lists are edited one item per line.
export function linesToList(text) {
  return String(text || '').split('\n').map((s) => s.trim()).filter(Boolean);
}
export function listToLines(list) {
  return (Array.isArray(list) ? list : []).join('\n');
}

// ISO weeks ("2026-W47"): Monday of the week in UTC date arithmetic (the week
// itself is resolved in the project zone by the server).
export function isoWeekMonday(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(week || '');
  if (!m) return null;
  const year = Number(m[1]);
  const w = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  const monday1 = new Date(jan4.getTime() - (dow - 1) * 86400000);
  return new Date(monday1.getTime() + (w - 1) * 7 * 86400000);
}

export function isoWeekOf(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function shiftWeek(week, n) {
  const monday = isoWeekMonday(week);
  if (!monday) return week;
  return isoWeekOf(new Date(monday.getTime() + n * 7 * 86400000));
}
