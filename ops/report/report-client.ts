/**
 * The report page's own script (plain browser JavaScript, inlined after Chart.js): reads the chart
 * specs from the JSON block and draws each into its canvas. Thresholds are a dashed red dataset,
 * points on the wrong side of one are drawn larger and red. No animation, so the page is complete as
 * soon as it has loaded (and a screenshot shows it whole).
 */
export const REPORT_CLIENT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('tide-report-data').textContent);
  var palette = ['#1565c0', '#00897b', '#6d4c41', '#5e35b1', '#f4511e', '#3949ab', '#7cb342',
    '#00acc1', '#d81b60', '#546e7a', '#fb8c00', '#8d6e63'];
  var BREACH = '#d50000';
  function format(unit, v) {
    if (v === null || v === undefined || isNaN(v)) return '–';
    if (unit === 'rate') return (Math.round(v * 10000) / 100) + ' %';
    if (unit === 'hours') return (Math.round(v * 10) / 10) + ' h';
    if (unit === 'seconds') return (Math.round(v * 10) / 10) + ' s';
    return Number(v).toLocaleString('en-US');
  }
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 11;
  data.charts.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (!canvas) return;
    var datasets = spec.series.map(function (s, i) {
      var color = s.color || palette[i % palette.length];
      if (spec.kind === 'bar') {
        return { label: s.name, data: s.values, backgroundColor: color, borderColor: color,
          stack: spec.stacked ? 'all' : undefined, maxBarThickness: 28 };
      }
      return {
        label: s.name, data: s.values, borderColor: color, backgroundColor: color, borderWidth: 2,
        spanGaps: true, tension: 0.15,
        pointRadius: s.values.map(function (_, j) { return s.breach[j] ? 6 : 3; }),
        pointBackgroundColor: s.values.map(function (_, j) { return s.breach[j] ? BREACH : color; }),
        pointBorderColor: s.values.map(function (_, j) { return s.breach[j] ? BREACH : color; })
      };
    });
    if (spec.threshold) {
      datasets.push({
        type: 'line',
        label: 'threshold ' + (spec.threshold.healthy === 'below' ? '≤ ' : '≥ ') + format(spec.unit, spec.threshold.value),
        data: data.labels.map(function () { return spec.threshold.value; }),
        borderColor: BREACH, backgroundColor: BREACH, borderDash: [6, 4], borderWidth: 1.5,
        pointRadius: 0, fill: false
      });
    }
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: spec.stacked, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { stacked: spec.stacked, beginAtZero: true,
            ticks: { callback: function (v) { return format(spec.unit, v); } } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? data.runTitles[items[0].dataIndex] : ''; },
              label: function (item) { return item.dataset.label + ': ' + format(spec.unit, item.parsed.y); }
            }
          }
        }
      }
    });
  });
  document.body.setAttribute('data-charts', String(data.charts.length));
})();
`;
