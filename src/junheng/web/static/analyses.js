// Charts of the analysis pages (学位与大班额, 集团化办学, 课后服务, 教师流动, 学前教育).
// The numbers come from a JSON block in the page, already rounded as the tables print
// them (the content security policy allows no inline script); ECharts is served locally.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  var block = document.getElementById("analysis-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var red = "#b0242b", blue = "#1f3a68", light = "#6f8fc4", amber = "#a86a00", green = "#23723a", grey = "#9aa5b5";
  var palette = [blue, red, green, amber, light, "#7b4f9d", "#2a8c8c", grey];
  var charts = [];

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ animation: false, color: palette }, option));
    el.setAttribute("data-rendered", "true");
    charts.push(c);
  }
  function narrow() { return window.innerWidth < 600; }

  if (data.kind === "places") {
    var series = [];
    data.forecast.forEach(function (st, k) {
      var colour = k === 0 ? blue : light;
      series.push({ name: st.stage + "在校生", type: "line", data: st.students, itemStyle: { color: colour },
                    label: { show: !narrow(), position: "top" } });
      series.push({ name: st.stage + "学位", type: "line", data: st.students.map(function () { return st.capacity; }),
                    symbol: "none", lineStyle: { type: "dashed", color: colour }, itemStyle: { color: colour } });
    });
    chart("forecast-chart", {
      tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.years, axisLabel: { formatter: function (y) { return y + "学年"; } } },
      yAxis: { type: "value", name: "人", scale: true }, series: series
    });
    var schools = data.large_by_school.slice().reverse();
    var largeEl = document.getElementById("large-chart");
    if (largeEl) { largeEl.style.height = Math.max(140, schools.length * 30 + 70) + "px"; }
    chart("large-chart", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, name: "班" },
      yAxis: { type: "category", data: schools.map(function (s) { return s.name; }),
               axisLabel: { width: narrow() ? 90 : 160, overflow: "truncate" } },
      series: [
        { name: "大班额（56—65人）", type: "bar", stack: "n", barMaxWidth: 22, data: schools.map(function (s) { return s.large; }),
          itemStyle: { color: amber } },
        { name: "超大班额（66人及以上）", type: "bar", stack: "n",
          data: schools.map(function (s) { return s.super_large; }), itemStyle: { color: red } }
      ]
    });
  }

  if (data.kind === "groups" && data.series.length) {
    chart("groups-chart", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(data.places); } },
      legend: { top: 0, type: "scroll" }, grid: { left: 48, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: "平均差异系数", scale: true },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, connectNulls: false,
                 label: { show: !narrow(), formatter: function (p) { return p.value.toFixed(data.places); } } };
      })
    });
  }

  if (data.kind === "afterschool" && data.years.length) {
    chart("afterschool-chart", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { top: 0 }, grid: { left: 44, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: "%", max: 100 },
      series: [
        { name: "课后服务覆盖率", type: "line", data: data.coverage, itemStyle: { color: blue },
          label: { show: true, formatter: "{c}%" } },
        { name: "参与率", type: "line", data: data.participation, itemStyle: { color: green },
          label: { show: !narrow(), formatter: "{c}%", position: "bottom" } }
      ]
    });
  }

  if (data.kind === "flows" && data.links.length) {
    var el = document.getElementById("flows-chart");
    if (el) {  // room for every school on the taller side
      var rows = Math.max(data.nodes.filter(function (n) { return n.name.slice(-1) === "▸"; }).length,
                          data.nodes.length / 2);
      el.style.height = Math.max(320, Math.min(1400, rows * 26 + 40)) + "px";
    }
    chart("flows-chart", {
      tooltip: { trigger: "item", formatter: function (p) {
        return p.dataType === "edge" ? p.data.source.replace(" ▸", "") + " → " + p.data.target.replace("▸ ", "") +
          "：" + p.data.value + " 名" : p.name.replace(/ ?▸ ?/, "") + "：" + p.value + " 名";
      } },
      series: [{
        type: "sankey", left: 4, right: narrow() ? 4 : 170, top: 8, bottom: 8, nodeWidth: 12, nodeGap: 6,
        nodeAlign: "justify", draggable: false, layoutIterations: 32, links: data.links,
        // 调入 labels: beside their node on a wide screen, inside the chart on a phone
        data: data.nodes.map(function (n) {
          return n.name.slice(0, 1) === "▸" && narrow() ? { name: n.name, label: { position: "left" } } : n;
        }),
        label: { fontSize: narrow() ? 10 : 12, width: narrow() ? 80 : 160, overflow: "truncate" },
        lineStyle: { color: "gradient", opacity: 0.35 }, emphasis: { focus: "adjacency" }
      }]
    });
  }

  if (data.kind === "preschool" && data.categories.length) {
    chart("preschool-chart", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.categories },
      yAxis: [{ type: "value", name: "所", minInterval: 1 }, { type: "value", name: "人" }],
      series: [
        { name: "幼儿园（所）", type: "bar", data: data.kindergartens, itemStyle: { color: blue }, barMaxWidth: 36,
          label: { show: true, position: "top" } },
        { name: "在园幼儿（人）", type: "bar", yAxisIndex: 1, data: data.children, itemStyle: { color: light },
          barMaxWidth: 36 }
      ]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
