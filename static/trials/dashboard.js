// Dashboard charts: data comes from json_script blocks; clicking a bar opens the filtered trial list.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const points = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: points.map((p) => p.label),
        datasets: [{ label: "Trials", data: points.map((p) => p.count), backgroundColor: "#2f6f8f" }],
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: points.length > 8 ? "y" : "x",
        plugins: { legend: { display: false } },
        // Counts are whole numbers: no 0.2-trial ticks on small data sets.
        scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: (event, elements) => {
          if (elements.length) window.location.href = points[elements[0].index].url;
        },
      },
    });
    canvas.chart = chart;
  });
});
