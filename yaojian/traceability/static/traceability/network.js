// The network around the hubs (institutions, insured persons, packs): ECharts force graph.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("trace-network");
    var data = document.getElementById("trace-network-data");
    if (!el || !data || !window.echarts) { return; }
    var network = JSON.parse(data.textContent);
    // (no style attribute in the page: the Content-Security-Policy forbids them)
    el.style.height = window.innerWidth < 576 ? "320px" : "420px";
    var chart = window.echarts.init(el);
    // The node kinds' names come translated from the page (institution, insured person, pack).
    var kinds = network.categories || ["institution", "insured", "pack"];
    chart.setOption({
      tooltip: {},
      legend: [{ data: kinds }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        force: { repulsion: 60, edgeLength: 40 },
        categories: kinds.map(function (name) { return { name: name }; }),
        data: network.nodes.map(function (n) {
          return { name: n.name, value: n.value, category: n.category,
                   symbolSize: n.category === 0 ? 12 + Math.min(30, n.value) : 6 };
        }),
        links: network.links
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
}());
