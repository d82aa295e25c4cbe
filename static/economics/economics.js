// Charts of the rNPV tool. Data come from json_script blocks (no inline scripts: CSP).
(function () {
  "use strict";
  const charts = {};
  const euro = (v) => "€" + Math.round(v).toLocaleString("en-GB");

  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(canvasId, config) {
    const canvas = document.getElementById(canvasId);
    if (!canvas || typeof Chart === "undefined") return;
    if (charts[canvasId]) charts[canvasId].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[canvasId] = new Chart(canvas, config);
    canvas.dataset.rendered = "true";
  }

  function render() {
    const rows = data("cashflow-data");
    if (rows) {
      draw("cashflow-chart", {
        type: "bar",
        data: {
          labels: rows.map((r) => r.year),
          datasets: [
            { label: "Net cash flow if all succeeds", data: rows.map((r) => r.net_cash_flow_eur), backgroundColor: "rgba(108,117,125,0.5)" },
            { label: "Risk-adjusted cash flow", data: rows.map((r) => r.risk_adjusted_cash_flow_eur), backgroundColor: "rgba(13,110,253,0.8)" },
          ],
        },
        options: { scales: { y: { ticks: { callback: euro } }, x: { title: { display: true, text: "Year" } } } },
      });
    }
    const stages = data("probability-data");
    if (stages) {
      draw("probability-chart", {
        type: "line",
        data: { labels: stages.map((s) => s.stage), datasets: [{ label: "Cumulative probability", data: stages.map((s) => s.probability * 100), stepped: true, fill: true }] },
        options: { scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
      });
    }
    const histogram = data("histogram-data");
    if (histogram) {
      const edges = histogram.edges_eur;
      draw("histogram-chart", {
        type: "bar",
        data: {
          labels: histogram.counts.map((_, i) => euro((edges[i] + edges[i + 1]) / 2)),
          datasets: [{ label: "Simulated projects", data: histogram.counts, backgroundColor: histogram.counts.map((_, i) => (edges[i + 1] <= 0 ? "rgba(220,53,69,0.7)" : "rgba(25,135,84,0.7)")), barPercentage: 1, categoryPercentage: 1 }],
        },
        options: { scales: { x: { title: { display: true, text: "NPV" } }, y: { title: { display: true, text: "Simulations" } } } },
      });
    }
    const tornado = data("tornado-data");
    if (tornado) {
      const base = tornado.base_rnpv_eur;
      draw("tornado-chart", {
        type: "bar",
        data: {
          labels: tornado.bars.map((b) => b.label || b.input),
          datasets: [
            { label: "Input at its low value", data: tornado.bars.map((b) => [base, b.rnpv_at_low_eur]), backgroundColor: "rgba(220,53,69,0.7)" },
            { label: "Input at its high value", data: tornado.bars.map((b) => [base, b.rnpv_at_high_eur]), backgroundColor: "rgba(25,135,84,0.7)" },
          ],
        },
        // autoSkip off: every bar keeps its label (the container grows with the number of bars).
        options: { indexAxis: "y", scales: { x: { ticks: { callback: euro } }, y: { stacked: true, ticks: { autoSkip: false } } } },
      });
    }
  }

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
