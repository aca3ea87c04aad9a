// Mutuals: charts from data-chart attributes (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  function trendChart(canvas) {
    var d = JSON.parse(canvas.dataset.chart);
    /* global Chart */
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.weeks,
        datasets: [
          { type: "line", label: "Messages in", data: d.messages_in, borderColor: "#2f5bd3", backgroundColor: "#2f5bd3", yAxisID: "y", tension: 0.25 },
          { label: "Followers gained", data: d.followers_gained, backgroundColor: "#3aa56b", yAxisID: "y1" },
          { label: "Followers lost", data: d.followers_lost.map(function (v) { return -v; }), backgroundColor: "#d0574d", yAxisID: "y1" }
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { position: "left", title: { display: true, text: "messages" }, beginAtZero: true },
          y1: { position: "right", stacked: true, title: { display: true, text: "followers" }, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
  var axisX = { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } };
  function sentimentChart(canvas) {
    var d = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.periods,
        datasets: [
          { type: "line", label: "Negative share (%)", data: d.negative_share.map(function (v) { return v === null ? null : Math.round(v * 1000) / 10; }), borderColor: "#8a3ffc", backgroundColor: "#8a3ffc", yAxisID: "y1", tension: 0.25 },
          { label: "Negative", data: d.negative, backgroundColor: "#d0574d", yAxisID: "y" },
          { label: "Neutral", data: d.neutral, backgroundColor: "#a9b4c6", yAxisID: "y" },
          { label: "Positive", data: d.positive, backgroundColor: "#3aa56b", yAxisID: "y" }
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: axisX,
          y: { stacked: true, beginAtZero: true, title: { display: true, text: "messages" } },
          y1: { position: "right", min: 0, max: 100, title: { display: true, text: "negative %" }, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
  function themeTrendChart(canvas) {
    var d = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: "bar",
      data: { labels: d.weeks, datasets: [{ label: "Messages", data: d.messages, backgroundColor: "#d0574d" }] },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: axisX, y: { beginAtZero: true } } }
    });
  }
  function churnChart(canvas) {
    var d = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.periods,
        datasets: [
          { type: "line", label: "Churn (% of followers lost)", data: d.churn, borderColor: "#8a3ffc", backgroundColor: "#8a3ffc", yAxisID: "y1", tension: 0.25 },
          { label: "Gained", data: d.gained, backgroundColor: "#3aa56b", yAxisID: "y" },
          { label: "Lost", data: d.lost.map(function (v) { return -v; }), backgroundColor: "#d0574d", yAxisID: "y" }
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: axisX,
          y: { stacked: true, title: { display: true, text: "followers" } },
          y1: { position: "right", beginAtZero: true, title: { display: true, text: "churn %" }, grid: { drawOnChartArea: false } }
        }
      }
    });
  }
  var CHARTS = { "trend": trendChart, "sentiment-chart": sentimentChart, "theme-trend": themeTrendChart, "churn-chart": churnChart };
  function init() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (c) {
      if (CHARTS[c.id]) { CHARTS[c.id](c); }
    });
  }
  // Keyboard shortcuts: j / k / Enter in the inbox list; e (done), s (snooze), r (reply) in a conversation.
  function typing(ev) {
    var t = ev.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function keys(ev) {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var items = Array.prototype.slice.call(document.querySelectorAll(".triage-item"));
    if (items.length && (ev.key === "j" || ev.key === "k" || ev.key === "Enter")) {
      var at = items.findIndex(function (el) { return el.classList.contains("selected"); });
      if (ev.key === "Enter") {
        if (at >= 0) { items[at].querySelector("a").click(); }
        return;
      }
      var next = ev.key === "j" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
      if (at >= 0) { items[at].classList.remove("selected"); }
      items[next].classList.add("selected");
      items[next].scrollIntoView({ block: "nearest" });
      ev.preventDefault();
      return;
    }
    var form = document.querySelector("form[data-key='" + ev.key + "']");
    if (form) { form.submit(); ev.preventDefault(); return; }
    if (ev.key === "r") {
      var box = document.getElementById("reply-text");
      if (box) { box.focus(); ev.preventDefault(); }
    }
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("keydown", keys);
  window.Mutuals = { charts: CHARTS };
})();
