// Bảng điều khiển: draws the charts from the numbers the page's tables already show
// (#dashboard-data). Without JavaScript, or without the chart library, the tables stay.
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#c0392b", "#27864a", "#b9770e", "#7d3c98", "#117a8b", "#5d6d7e", "#a04000"];

  function lineChart(canvas, labels, lines, key, suffix) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: lines.map(function (line, i) {
          return {
            label: line.name,
            data: line[key],
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
            spanGaps: true,
            tension: 0.2,
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return v + suffix; } } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function funnelChart(canvas, funnel) {
    function band(index, label, colour, dash) {
      return {
        type: "line",
        label: label,
        data: funnel.curve.map(function (p) { return { x: p[0], y: 100 * p[index] }; }),
        borderColor: colour,
        borderDash: dash,
        pointRadius: 0,
        borderWidth: 1.5,
      };
    }
    var teams = {
      type: "scatter",
      label: canvas.dataset.teams,
      data: funnel.teams.map(function (t) { return { x: t.n, y: 100 * t.rate, name: t.name }; }),
      pointRadius: 6,
      backgroundColor: funnel.teams.map(function (t) { return t.flag === "within" ? "#1f5fa8" : "#c0392b"; }),
    };
    var last = funnel.curve.length ? funnel.curve[funnel.curve.length - 1][0] : 10;
    var p0 = {
      type: "line",
      label: canvas.dataset.province,
      data: [{ x: 0, y: 100 * funnel.p0 }, { x: last, y: 100 * funnel.p0 }],
      borderColor: "#27864a",
      pointRadius: 0,
    };
    return new window.Chart(canvas, {
      type: "scatter",
      data: {
        datasets: [
          teams,
          p0,
          band(1, canvas.dataset.band95, "#b9770e", [6, 4]),
          band(2, "", "#b9770e", [6, 4]),
          band(3, canvas.dataset.band998, "#7d3c98", [2, 3]),
          band(4, "", "#7d3c98", [2, 3]),
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { type: "linear", min: 0, title: { display: true, text: canvas.dataset.xlabel } },
          y: { min: 0, title: { display: true, text: canvas.dataset.ylabel } },
        },
        plugins: {
          legend: { position: "bottom", labels: { filter: function (item) { return item.text !== ""; } } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var name = ctx.raw && ctx.raw.name ? ctx.raw.name + ": " : "";
                return name + ctx.parsed.y.toFixed(1) + "% (n = " + ctx.parsed.x + ")";
              },
            },
          },
        },
      },
    });
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var violations = document.getElementById("chart-violations");
    var onTime = document.getElementById("chart-on-time");
    var funnel = document.getElementById("chart-funnel");
    if (violations) { charts.push(lineChart(violations, data.quarters, data.lines, "per_100", "")); }
    if (onTime) { charts.push(lineChart(onTime, data.quarters, data.lines, "on_time", "%")); }
    if (funnel && data.funnel.p0 !== null) { charts.push(funnelChart(funnel, data.funnel)); }
    window.congvuCharts = charts;
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
