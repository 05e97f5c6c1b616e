/* global document, window, fetch, sessionStorage, URLSearchParams, echarts */
// The dashboard in the browser: asks for a token, reads /v1/dashboard with it, draws the charts.
// Its words are the page's (data-* attributes), in the script the page was served in, and so are the figures' names.
'use strict';

const charts = {};
const $ = (id) => document.getElementById(id);
const words = (id, name) => $(id).dataset[name];

function chart(id) {
  charts[id] = charts[id] || echarts.init($(id), null, { renderer: 'canvas' });
  return charts[id];
}

function bar(id, categories, series, horizontal, max) {
  const category = { type: 'category', data: categories, axisLabel: { interval: 0, width: 120, overflow: 'truncate' } };
  const value = { type: 'value', minInterval: 1, max };
  chart(id).setOption(
    {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 170 : 48, right: 24, top: series.length > 1 ? 48 : 32, bottom: 48 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, label: { show: true, position: horizontal ? 'right' : 'top' } })),
    },
    true,
  );
}

function percent(rate) {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

function draw(data) {
  $('fig-assessed').textContent = String(data.assessed);
  $('fig-passed').textContent = String(data.passed);
  $('fig-rate').textContent = percent(data.passRate);
  $('fig-zero-left').textContent = String(data.zeroEmployment.left);
  $('fig-zero-overdue').textContent = String(data.zeroEmployment.overdue);

  const regions = data.passRateByRegion;
  bar('chart-pass-rate', regions.map((r) => r.name || r.regionCode), [{ name: words('chart-pass-rate', 'series'), data: regions.map((r) => (r.passRate === null ? 0 : Math.round(r.passRate * 1000) / 10)) }], false, 100);
  const failing = data.failingCriteria.slice().reverse();
  bar('chart-failing', failing.map((f) => f.label), [{ name: words('chart-failing', 'series'), data: failing.map((f) => f.communities) }], true);
  chart('chart-reemployment').setOption(
    {
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 24, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: data.reemploymentByMonth.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', name: words('chart-reemployment', 'series'), data: data.reemploymentByMonth.map((m) => m.reemployed), label: { show: true } }],
    },
    true,
  );
  const zero = data.zeroEmployment.byDistrict;
  bar('chart-zero', zero.map((z) => z.name || z.regionCode), [
    { name: words('chart-zero', 'series'), data: zero.map((z) => z.left) },
    { name: words('chart-zero', 'secondSeries'), data: zero.map((z) => z.overdue) },
  ]);
  const bases = data.placementsByAidBase;
  bar('chart-placements', bases.map((b) => b.aidBaseId.slice(0, 8)), [{ name: words('chart-placements', 'series'), data: bases.map((b) => b.placements) }]);
  window.dashboard = { data, charts, ready: true };
}

async function load(event) {
  if (event) event.preventDefault();
  const token = $('token').value.trim();
  sessionStorage.setItem('reemploy-token', token);
  const query = new URLSearchParams({ regionCode: $('region').value.trim(), period: $('period').value });
  $('status').textContent = words('status', 'loading');
  try {
    const res = await fetch(`/v1/dashboard?${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'accept-language': document.documentElement.lang } });
    const body = await res.json();
    if (!res.ok) {
      $('status').textContent = `${res.status} ${body.title || ''}: ${body.detail || ''}`;
      window.dashboard = { error: res.status, charts };
      return;
    }
    draw(body);
    $('status').textContent = `${body.name || body.regionCode} · ${body.period}`;
  } catch (err) {
    $('status').textContent = `${words('status', 'failed')}${err.message}`;
  }
}

function start() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  $('period').value = now.toISOString().slice(0, 7);
  $('token').value = sessionStorage.getItem('reemploy-token') || '';
  $('query').addEventListener('submit', load);
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  if ($('token').value) load();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
