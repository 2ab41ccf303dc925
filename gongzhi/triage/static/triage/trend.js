// The monthly trend chart of the top concerns page, drawn by Plotly from the JSON in #trend-data.
(function () {
  "use strict";
  var source = document.getElementById("trend-data");
  if (!source || !window.Plotly) { return; }
  var data = JSON.parse(source.textContent);
  var traces = data.series.map(function (s) {
    return {x: data.months, y: s.counts, name: s.name, type: "scatter", mode: "lines+markers"};
  });
  window.Plotly.newPlot("trend-chart", traces, {margin: {t: 20, r: 10, b: 40, l: 40}, yaxis: {rangemode: "tozero"},
    legend: {orientation: "h"}}, {displaylogo: false, responsive: true});
})();
