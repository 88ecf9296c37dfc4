// Time-series charts with uPlot (served from the app, no CDN). Every chart shares the report's timestamps.

const COLORS = ['#2f6fed', '#1f9d55', '#c77700', '#d64545', '#7b4fd6', '#0f9bb3', '#8a6d3b', '#e05fa0'];

/** A line chart of `series` ({label, values}) over the report's timestamps, sized to its container. */
export function lineChart(container, title, timestamps, series, opts = {}) {
  const xs = timestamps.map((t) => Date.parse(t) / 1000);
  const width = Math.max(320, container.clientWidth - 4);
  const data = [xs, ...series.map((s) => s.values)];
  const chart = new window.uPlot(
    {
      title,
      width,
      height: 220,
      scales: { y: opts.percent ? { range: [0, 100] } : { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      axes: [{}, { size: 56, values: (u, ticks) => ticks.map((v) => (opts.percent ? `${v}%` : opts.format ? opts.format(v) : v)) }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          spanGaps: false,
          paths: opts.steps ? window.uPlot.paths.stepped({ align: 1 }) : undefined,
        })),
      ],
    },
    data,
    container,
  );
  container.dataset.points = String(xs.length);
  return chart;
}
