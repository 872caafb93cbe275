// Draws the targets' charts from the JSON the pages embed (json_script): on the targets page each target's
// completion beside the time progress; on a target's page its completion month by month against time
// progress. The figures are in the pages' tables already, so nothing is lost if this file or ECharts does not load.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const locale = document.documentElement.lang.startsWith("zh") ? "ZH" : "EN";
  const colours = { success: "#198754", warning: "#ffc107", danger: "#dc3545" };
  const percent = (value) => `${Number(value).toFixed(2)}%`;
  const charts = [];

  const bars = document.getElementById("targets-bars-data");
  const barsNode = document.getElementById("targets-chart");
  if (bars && barsNode) {
    const data = JSON.parse(bars.textContent);
    const chart = echarts.init(barsNode, null, { locale });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: data.names, axisLabel: { width: 140, overflow: "truncate" } },
      series: [
        {
          name: data.labels.completion,
          type: "bar",
          data: data.completion.map((value, index) => ({ value, itemStyle: { color: colours[data.colours[index]] } })),
        },
        { name: data.labels.time_progress, type: "scatter", symbol: "rect", symbolSize: [3, 18], itemStyle: { color: "#212529" }, data: data.time_progress },
      ],
    });
    charts.push(chart);
  }

  const trend = document.getElementById("targets-trend-data");
  const trendNode = document.getElementById("trend-chart");
  if (trend && trendNode) {
    const data = JSON.parse(trend.textContent);
    const chart = echarts.init(trendNode, null, { locale });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.labels.completion, type: "bar", data: data.completion, itemStyle: { color: "#0d6efd" } },
        { name: data.labels.time_progress, type: "line", step: false, data: data.time_progress, itemStyle: { color: "#212529" } },
      ],
    });
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
});
