// The report's plotly figures on a narrow screen (below 600 px, or wherever the figure's own
// layout would leave less than half its width to the data): category labels above their row
// instead of beside it (the plot keeps the full width), long tick labels wrapped, legends below
// the plot, side notes turned upright, and the height following the content. The figure's own
// layout comes back when the window is wide again. Plain script, no dependencies but plotly.js.
(function () {
  "use strict";
  var NARROW = 600, CHAR_PX = 6.8, LINE_PX = 15, ROW_CONTENT_PX = 24;

  function clone(value) { return JSON.parse(JSON.stringify(value || {})); }
  function visibleLength(text) { return String(text).replace(/<[^>]+>/g, "").length; }

  // Words into lines of at most `width` visible characters; plotly's <b>…</b> kept balanced per line.
  function wrap(text, width) {
    var words = String(text).replace(/<br\s*\/?>/gi, " ").split(/\s+/).filter(Boolean);
    var lines = [], line = "";
    words.forEach(function (word) {
      if (line && visibleLength(line + " " + word) > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    var bold = false;
    return lines.map(function (l) {
      var out = (bold ? "<b>" : "") + l;
      var opens = (l.match(/<b>/g) || []).length, closes = (l.match(/<\/b>/g) || []).length;
      bold = bold ? closes <= opens : opens > closes;
      return bold ? out + "</b>" : out;
    });
  }

  function legendRows(gd, width) {
    var rows = 0;
    (gd.data || []).forEach(function (trace) {
      if (trace.showlegend === false || !trace.name) { return; }
      if (trace.showlegend !== true && trace.legendgroup && rows && gd.data.some(function (t) {
        return t !== trace && t.legendgroup === trace.legendgroup && t.name === trace.name && gd.data.indexOf(t) < gd.data.indexOf(trace);
      })) { return; }
      rows += 1;
    });
    return rows;
  }

  function narrowLayout(gd, layout, data, width) {
    var full = gd._fullLayout, yaxis = full.yaxis || {};
    var domain = (full.xaxis && full.xaxis.domain) || [0, 1];  // labels stay above the first subplot
    var wrapAt = Math.max(12, Math.floor((width * domain[1] - 50) / CHAR_PX));
    layout.font = Object.assign(layout.font || {}, { size: 12 });
    layout.margin = Object.assign(layout.margin || {}, { l: 6, r: Math.min((layout.margin || {}).r || 10, 16) });
    layout.annotations = (layout.annotations || []).map(function (note) {
      if (note.xref === "paper" && note.x > 1) {  // a side note right of the plot: upright, narrow
        return Object.assign(note, { x: 1, xanchor: "left", textangle: -90, xshift: 2,
                                     font: Object.assign(note.font || {}, { size: 11 }) });
      }
      if (note.xref === "paper" && note.yref === "paper" && note.y >= 1) {  // a subplot's title
        var room = width * (domain[1] - domain[0]);
        return Object.assign(note, { text: wrap(note.text, Math.max(10, Math.floor(room / 6.2))).join("<br>"),
                                     font: Object.assign(note.font || {}, { size: 11 }) });
      }
      return note;
    });
    data.forEach(function (trace) { if (trace.type === "bar") { trace.textangle = 0; } });
    if (layout.annotations.some(function (n) { return n.textangle === -90; })) { layout.margin.r = 30; }
    var rows = 0, rowPx = 0;
    layout.yaxis = layout.yaxis || {};
    layout.xaxis = layout.xaxis || {};
    if (layout.yaxis.scaleanchor) {
      // equal scales: shrinking the x domain fights the tick labels' margin on a narrow screen;
      // the plot is made about square by its height instead
      delete layout.yaxis.scaleanchor;
      delete layout.xaxis.constrain;
    }
    if (yaxis.type === "category" && (yaxis._categories || []).length) {
      // labels above their row: a gap between rows as tall as the label
      // a category's label is its tick text where the figure maps categories (row ids) to texts
      var tickvals = layout.yaxis.tickvals || [], ticktext = layout.yaxis.ticktext || [];
      var labels = yaxis._categories.map(function (c) {
        var i = tickvals.indexOf(c);
        return wrap(i >= 0 && i < ticktext.length ? ticktext[i] : c, wrapAt);
      });
      var lines = Math.max.apply(null, labels.map(function (l) { return l.length; }));
      rows = labels.length;
      rowPx = ROW_CONTENT_PX + lines * LINE_PX + 6;
      layout.yaxis.showticklabels = false;
      Object.keys(layout).forEach(function (key) {
        if (/^yaxis\d+$/.test(key)) { layout[key].showticklabels = false; }
      });
      yaxis._categories.forEach(function (category, i) {
        layout.annotations.push({ xref: "paper", x: 0, xanchor: "left", yref: "y", y: category,
                                  yanchor: "bottom", yshift: ROW_CONTENT_PX / 2 + 1, align: "left",
                                  showarrow: false, text: labels[i].join("<br>"),
                                  font: { size: 12, color: "#222222" } });
      });
      layout.bargap = 1 - ROW_CONTENT_PX / rowPx;
      data.forEach(function (trace) { if (trace.type === "heatmap") { trace.ygap = rowPx - ROW_CONTENT_PX; } });
      layout.margin.t = ((layout.margin || {}).t || 10) + 10;
    } else if (layout.yaxis.ticktext && layout.yaxis.ticktext.some(function (t) { return visibleLength(t) > 10; })) {
      // long tick labels (themes on a numeric axis): wrapped narrow, a little smaller
      var wrapped = layout.yaxis.ticktext.map(function (t) { return wrap(t, 14); });
      layout.yaxis.ticktext = wrapped.map(function (l) { return l.join("<br>"); });
      layout.yaxis.tickfont = { size: 11 };
      rows = wrapped.length;
      rowPx = Math.max.apply(null, wrapped.map(function (l) { return l.length; })) * 14 + 30;
    }
    if (layout.showlegend !== false && legendRows(gd, width) > 0) {
      // below the plot, one entry per line (its title above the entries)
      var legend = layout.legend || {};
      if (legend.title && legend.title.text) { legend.title = Object.assign(legend.title, { side: "top" }); }
      layout.legend = Object.assign(legend, { orientation: "h", xref: "container", x: 0, xanchor: "left", y: 0, yanchor: "bottom",
                                              yref: "container", entrywidth: 1, entrywidthmode: "fraction",
                                              font: { size: 12 } });
      var titleRows = legend.title && legend.title.text ? 1 : 0;
      layout.margin.b = ((layout.margin || {}).b || 10) + (legendRows(gd, width) + titleRows) * 24 + 16;
    }
    var plotPx = rows ? rows * rowPx : Math.round(width - 80);
    var xTitle = full.xaxis && full.xaxis.title && full.xaxis.title.text ? 28 : 0;
    var xTicks = full.xaxis && full.xaxis.tickangle ? 80 : 26;
    layout.height = Math.round(plotPx + layout.margin.t + layout.margin.b + xTitle + xTicks);
    return layout;
  }

  function adapt(gd) {
    if (!gd._fullLayout || !window.Plotly) { return; }
    if (!gd._report) {
      // with the figure's own layout: the pixels that are not plotting area (labels, legend, margins)
      var full = gd._fullLayout, seen = {}, plotted = 0;
      Object.keys(full._plots || {}).forEach(function (key) {
        var xaxis = full._plots[key].xaxis;
        if (xaxis && !seen[xaxis._id]) { seen[xaxis._id] = true; plotted += xaxis._length; }
      });
      gd._report = { layout: clone(gd.layout), data: gd.data.map(clone), narrow: null,
                     height: gd.parentElement.style.height, chrome: full.width - plotted };
    }
    var width = gd.parentElement ? gd.parentElement.clientWidth : gd.clientWidth;
    // narrow layout on a phone, and wherever labels and legend would leave the data less than half
    var narrow = width < NARROW || width - gd._report.chrome < 0.5 * width;
    if (narrow === gd._report.narrow && !narrow) { return; }
    gd._report.narrow = narrow;
    var data = gd._report.data.map(clone), layout = clone(gd._report.layout);
    if (narrow) {
      // categories as plotly resolved them (from the figure's own layout, not a narrowed one)
      layout = narrowLayout(gd._report.full || (gd._report.full = { _fullLayout: {
        yaxis: { type: gd._fullLayout.yaxis.type, _categories: (gd._fullLayout.yaxis._categories || []).slice() },
        xaxis: { title: gd._fullLayout.xaxis.title, tickangle: gd._fullLayout.xaxis.tickangle,
                 domain: gd._fullLayout.xaxis.domain.slice() } }, data: gd.data }),
        layout, data, width);
    }
    // plotly's wrapper has the figure's fixed height: it follows the plot
    gd.parentElement.style.height = narrow ? layout.height + "px" : gd._report.height;
    window.Plotly.react(gd, data, layout, gd._context);
  }

  function adaptAll() {
    document.querySelectorAll(".plotly-figure .js-plotly-plot").forEach(adapt);
  }

  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(adaptAll, 150); });
  window.addEventListener("load", adaptAll);

  // The table of contents: open beside the text on a wide screen, a closed box on a phone;
  // the section in view is marked.
  window.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("toc-box");
    if (!box) { return; }
    var wide = window.matchMedia("(min-width: 1100px)");
    var sync = function () { box.open = wide.matches; };
    sync();
    wide.addEventListener("change", sync);
    box.querySelectorAll("a").forEach(function (a) {
      a.addEventListener("click", function () { if (!wide.matches) { box.open = false; } });
    });
    var links = {};
    box.querySelectorAll("a[href^='#']").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
    if (!("IntersectionObserver" in window)) { return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var link = links[entry.target.id];
        if (entry.isIntersecting && link) {
          box.querySelectorAll("a.active").forEach(function (a) { a.classList.remove("active"); });
          link.classList.add("active");
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    document.querySelectorAll("main section[id]").forEach(function (s) { observer.observe(s); });
  });
})();
