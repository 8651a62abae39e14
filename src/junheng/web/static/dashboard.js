// Charts of the county dashboard. Data come from a JSON block in the page (the
// content security policy allows no inline script); ECharts is served locally.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  var block = document.getElementById("dashboard-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var red = "#b0242b", green = "#23723a", blue = "#1f3a68", grey = "#9aa5b5";

  var cvEl = document.getElementById("cv-chart");
  if (cvEl && data.cv) {
    var chart = echarts.init(cvEl, null, { renderer: "svg" });
    var maxLimit = Math.max.apply(null, data.cv.stages.map(function (st) { return st.limit || 0; }));
    var series = data.cv.stages.map(function (st, k) {
      var colour = k === 0 ? blue : "#6f8fc4";
      return {
        name: st.name, type: "bar", itemStyle: { color: colour },  // the legend's colour too
        data: st.values.map(function (v) {
          return { value: v.cv, itemStyle: { color: v.passed === false ? red : colour } };
        }),
        markLine: { symbol: "none", label: { formatter: st.name + "限值 {c}", position: "insideEndTop" },
                    lineStyle: { color: red, type: "dashed" }, data: [{ yAxis: st.limit }] }
      };
    });
    chart.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 40, right: 20, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.cv.labels, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: "value", name: "差异系数",
               max: function (v) { return Math.ceil(Math.max(v.max, maxLimit) * 11) / 10; } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var trendEl = document.getElementById("trend-chart");
  if (trendEl && data.trend && data.trend.years.length) {
    var t = echarts.init(trendEl, null, { renderer: "svg" });
    t.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.trend.years },
      yAxis: [{ type: "value", name: "学校达标率 %", max: 100 }, { type: "value", name: "未达标项目", minInterval: 1 }],
      series: [
        { name: "学校达标率", type: "line", data: data.trend.pass_rate, itemStyle: { color: blue },
          label: { show: true, formatter: "{c}%" } },
        { name: "未达标项目数", type: "bar", yAxisIndex: 1, data: data.trend.failing_items,
          itemStyle: { color: grey }, barMaxWidth: 28 }
      ]
    });
    window.addEventListener("resize", function () { t.resize(); });
  }
})();
