// Facilities per million inhabitants as a horizontal bar chart (data from json_script).
(function () {
  "use strict";
  var canvas = document.getElementById("country-chart");
  var source = document.getElementById("country-chart-data");
  if (!canvas || !source || !window.Chart) return;
  var rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map(function (r) { return r.name; }),
      datasets: [{
        label: "Facilities per million inhabitants",
        data: rows.map(function (r) { return r.per_million; }),
        backgroundColor: rows.map(function (r) { return r.count ? "#0b6e4f" : "#f0ad4e"; })
      }]
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false, animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { afterLabel: function (ctx) { return rows[ctx.dataIndex].count + " facilities"; } } }
      },
      scales: { x: { beginAtZero: true, title: { display: true, text: "per million inhabitants" } } }
    }
  });
})();
