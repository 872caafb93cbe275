// Draws the dashboard's two charts from the JSON the page embeds (json_script); the numbers are
// in the page's tables already, so nothing is lost if this file or ECharts does not load.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const locale = document.documentElement.lang.startsWith("zh") ? "ZH" : "EN";
  const label = data.labels;

  const trend = echarts.init(document.getElementById("trend-chart"), null, { locale });
  trend.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", name: label.count }, { type: "value", name: label.hundred_million }],
    series: [
      { name: label.visits, type: "bar", data: data.visits },
      { name: label.person_times, type: "bar", data: data.person_times },
      { name: label.signed_projects, type: "line", data: data.signed_projects },
      { name: label.signed_investment, type: "line", yAxisIndex: 1, data: data.signed_investment_yi },
    ],
  });

  const funnel = echarts.init(document.getElementById("funnel-chart"), null, { locale });
  funnel.setOption({
    tooltip: { trigger: "item" },
    series: [
      { type: "funnel", sort: "none", left: 10, right: 10, top: 10, bottom: 10, label: { position: "inside" }, data: data.funnel },
    ],
  });
  window.addEventListener("resize", () => { trend.resize(); funnel.resize(); });
});
