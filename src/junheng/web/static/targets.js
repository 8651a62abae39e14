// Charts of the 目标进展 page: one line per target (actual values), its path from the
// baseline to the target (dashed) and the target (a red line with a band to the side
// that meets it). Data come from a JSON block (the content security policy allows no
// inline script); ECharts is served locally.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  var block = document.getElementById("targets-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var red = "#b0242b", green = "#23723a", blue = "#1f3a68", grey = "#9aa5b5";
  var tone = { "已达成": green, "按期推进": green, "滞后": "#b07a00", "未达成": red, "无数据": grey };
  data.charts.forEach(function (c, k) {
    var el = document.getElementById("target-chart-" + k);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var unit = c.unit === "%" ? "%" : "";
    var fmt = function (v) { return v === null || v === undefined ? "—" : v.toFixed(c.decimals) + unit; };
    var band = c.lower_is_better ? [{ yAxis: "min" }, { yAxis: c.target }] : [{ yAxis: c.target }, { yAxis: "max" }];
    chart.setOption({
      animation: false,
      title: { text: c.title + "　" + c.status, left: 0, textStyle: { fontSize: 13, color: tone[c.status] || blue } },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { bottom: 0, data: ["实际值", "路径"] },
      grid: { left: 56, right: 20, top: 40, bottom: 52 },
      xAxis: { type: "category", data: c.years },
      yAxis: { type: "value", name: unit ? "" : (c.unit || ""), scale: true, axisLabel: { formatter: function (v) { return v + unit; } } },
      series: [
        { name: "实际值", type: "line", data: c.actual, connectNulls: false, symbolSize: 7,
          itemStyle: { color: blue }, lineStyle: { width: 2.5 },
          label: { show: true, formatter: function (p) { return fmt(p.value); }, fontSize: 11 },
          markLine: { symbol: "none", silent: true, lineStyle: { color: red, type: "solid" },
                      label: { formatter: "目标 " + fmt(c.target), position: "insideEndTop" },
                      data: [{ yAxis: c.target }] },
          markArea: { silent: true, itemStyle: { color: "rgba(35,114,58,0.08)" }, data: [band] } },
        { name: "路径", type: "line", data: c.path, symbol: "none", connectNulls: true,
          lineStyle: { type: "dashed", color: grey }, itemStyle: { color: grey } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
