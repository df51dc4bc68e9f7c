/* The leadership dashboard's charts and map (ECharts, vendored). Data comes from the
 * json_script tag "dashboard-data"; every bar, slice, point and county links to the list
 * behind it (the same URLs as the tables under each chart). No inline script (CSP). */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function go(url) { if (url) { window.location.assign(url); } }

  function chartFor(el, figure) {
    var rows = figure.rows || [];
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var labels = rows.map(function (r) { return r.label; });
    var values = rows.map(function (r) { return r.value === null ? 0 : r.value; });
    var option;
    if (figure.chart === "pie") {
      option = {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"],
          data: rows.map(function (r) { return { name: r.label, value: r.value }; }) }]
      };
    } else if (figure.chart === "line") {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: "category", data: labels },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "line", data: values, smooth: true, areaStyle: {} }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 10, top: 20, bottom: 60 },
        xAxis: { type: "category", data: labels, axisLabel: { rotate: labels.length > 6 ? 40 : 0, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: values }]
      };
    }
    chart.setOption(option);
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row) { go(row.url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function mapFor(el, data) {
    var figure = data.figures[data.indicator] || { rows: [] };
    var byCode = {};
    figure.rows.forEach(function (r) { byCode[r.key] = r; });
    fetch(data.geo, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (geo) {
        var prefix = data.prefix;
        geo.features = geo.features.filter(function (f) { return String(f.id).indexOf(prefix) === 0; });
        if (!geo.features.length) { throw new Error("no features"); }
        geo.features.forEach(function (f) { f.properties.name = f.properties.name || String(f.id); });
        echarts.registerMap("region-" + data.region, geo);
        var values = geo.features.map(function (f) {
          var row = byCode[String(f.id)];
          return { name: f.properties.name, code: String(f.id), value: row ? row.value : 0 };
        });
        var max = Math.max.apply(null, values.map(function (v) { return v.value || 0; }).concat([1]));
        var chart = echarts.init(el);
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + (p.value || 0); } },
          visualMap: { min: 0, max: max, calculable: true, left: "left", bottom: 10,
            inRange: { color: ["#e8f1fb", "#206bc4", "#d63939"] } },
          series: [{ type: "map", map: "region-" + data.region, roam: false, data: values,
            label: { show: geo.features.length <= 40, fontSize: 10 } }]
        });
        chart.on("click", function (params) {
          if (params.data && params.data.code) { go(data.drill + params.data.code); }
        });
        el.setAttribute("data-ready", "1");
        window.addEventListener("resize", function () { chart.resize(); });
      })
      .catch(function () {
        el.style.height = "auto";
        el.setAttribute("data-ready", "no-map");
        el.textContent = el.getAttribute("data-empty") || "";
      });
  }

  ready(function () {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll(".dashboard-chart").forEach(function (el) {
      var figure = data.figures[el.getAttribute("data-figure")];
      el.style.height = "260px";
      if (figure && figure.rows && figure.rows.length) { chartFor(el, figure); }
    });
    var map = document.getElementById("dashboard-map");
    if (map) {
      map.style.height = window.innerWidth < 576 ? "320px" : "420px";
      mapFor(map, data);
    }
  });
}());
