// Draws the chain page's map (segments, their nodes, the local firms) as an ECharts tree from the JSON the
// page embeds (json_script). The same map is the list below it, so nothing is lost without this file.
// A firm is a link to its page; a gap to recruit for (补链) is red, a lead enterprise (链主) bold.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chain-map-data");
  const box = document.getElementById("chain-map-chart");
  if (!source || !box || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  box.style.height = Math.max(320, data.leaves * 26 + 40) + "px";
  const locale = document.documentElement.lang.startsWith("zh") ? "ZH" : "EN";

  const style = (item) => {
    if (item.gap) {
      item.itemStyle = { color: "#dc3545", borderColor: "#dc3545" };
      item.label = { color: "#dc3545", fontWeight: "bold" };
    } else if (item.lead) {
      item.symbol = "diamond";
      item.symbolSize = 12;
      item.itemStyle = { color: "#0d6efd", borderColor: "#0d6efd" };
      item.label = { fontWeight: "bold", color: "#0d6efd" };
    } else if (item.firm) {
      item.symbol = "rect";
      item.label = { color: "#0a58ca" };
    }
    (item.children || []).forEach(style);
    return item;
  };

  const chart = echarts.init(box, null, { locale });
  chart.setOption({
    tooltip: { trigger: "item", triggerOn: "mousemove" },
    series: [{
      type: "tree",
      data: [style(data.tree)],
      orient: "LR",
      top: 20, bottom: 20, left: 110, right: 220,
      initialTreeDepth: -1,
      expandAndCollapse: false,
      symbolSize: 9,
      label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 13 },
      leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
      lineStyle: { color: "#adb5bd" },
    }],
  });
  // A firm's page opens on a click; the pointer says which marks are links.
  chart.on("mouseover", (params) => { box.style.cursor = params.data && params.data.url ? "pointer" : "default"; });
  chart.on("click", (params) => {
    if (params.data && params.data.url) window.location.assign(params.data.url);
  });
  window.addEventListener("resize", () => chart.resize());
});
