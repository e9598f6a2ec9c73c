// Axis and grid styles shared by every chart, so all pages look alike.
import { fmtNum, fmtPct } from '../format.js';

export const AXIS_LINE = { lineStyle: { color: '#c9d1dc' } };
export const AXIS_LABEL = { color: '#5b6675' };
export const SPLIT_LINE = { lineStyle: { color: '#eef1f5' } };

export function categoryAxis(data, extra = {}) {
  return {
    type: 'category', data, axisLine: AXIS_LINE, axisTick: { alignWithLabel: true },
    ...extra,
    axisLabel: { ...AXIS_LABEL, ...(extra.axisLabel || {}) },
  };
}

export function countAxis(lang, extra = {}) {
  return {
    type: 'value', splitLine: SPLIT_LINE,
    axisLabel: { ...AXIS_LABEL, formatter: (v) => fmtNum(lang, v) },
    ...extra,
  };
}

export function rateAxis(lang, extra = {}) {
  return {
    type: 'value', min: 0, splitLine: SPLIT_LINE,
    axisLabel: { ...AXIS_LABEL, formatter: (v) => fmtPct(lang, v, 0) },
    ...extra,
  };
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
