// A choropleth of areas: each feature's properties.value is shaded on a diverging scale
// (margins, swing: data-scale="diverging", from -data-max to +data-max) or a sequential one
// (shares, turnout, scores: data-scale="sequential", 0 to data-max), with a legend. Clicking an
// area shows its numbers (properties.rows: [[label, value], ...]) in the panel named by data-panel.
// An area whose properties.mark is set (e.g. the committees working there) gets a dot, titled with it.
(function () {
  "use strict";
  var el = document.getElementById("choropleth");
  if (!el || typeof L === "undefined") { return; }

  var diverging = el.dataset.scale === "diverging";
  var max = parseFloat(el.dataset.max || "1") || 1;
  // Two hues for the two sides of a margin, one for a sequential value; light near zero.
  var NEGATIVE = [178, 24, 43], POSITIVE = [33, 102, 172], NEUTRAL = [247, 247, 247];
  var SEQUENTIAL = [84, 39, 143];
  var STEPS = 5;

  function mix(a, b, t) {
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }).join(",") + ")";
  }
  function bucket(value) {
    var t = Math.min(Math.abs(value) / max, 1);
    return Math.min(STEPS, Math.ceil(t * STEPS)) / STEPS;
  }
  function color(value) {
    if (value === null || value === undefined || isNaN(value)) { return "#d9d9d9"; }
    if (diverging) { return mix(NEUTRAL, value < 0 ? NEGATIVE : POSITIVE, bucket(value)); }
    return mix(NEUTRAL, SEQUENTIAL, bucket(value));
  }
  function format(value) {
    var unit = el.dataset.unit || "";
    var shown = unit === "%" ? (value * 100).toFixed(0) + "%" : (unit === "pt" ? (value * 100).toFixed(0) + " pt" : value.toFixed(1));
    return (diverging && value > 0 ? "+" : "") + shown;
  }

  var map = L.map(el, { zoomSnap: 0.25 });
  map.setView([0, 0], 2);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
  }

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "legend");
    box.id = "legend";
    var title = document.createElement("strong");
    title.textContent = el.dataset.legend || "";
    box.appendChild(title);
    var stops = [];
    for (var i = STEPS; i >= 1; i--) { stops.push(i / STEPS); }
    if (diverging) {
      for (var j = 1; j <= STEPS; j++) { stops.push(-j / STEPS); }
    }
    stops.forEach(function (t) {
      var row = document.createElement("div");
      var swatch = document.createElement("i");
      swatch.style.background = color(t * max);
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(" " + format(t * max)));
      box.appendChild(row);
    });
    if (diverging && el.dataset.negative && el.dataset.positive) {
      var note = document.createElement("div");
      note.className = "small";
      note.textContent = "+ " + el.dataset.positive + " · − " + el.dataset.negative;
      box.appendChild(note);
    }
    return box;
  };
  legend.addTo(map);

  // Leaflet puts a string tooltip in as HTML: names (areas, committees) go in as text.
  function textLabel(text) {
    var label = document.createElement("span");
    label.textContent = text;
    return label;
  }

  var panel = document.getElementById(el.dataset.panel || "area-numbers");
  function show(p) {
    if (!panel) { return; }
    panel.textContent = "";
    var heading = document.createElement("h3");
    heading.id = "area-name";
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      heading.appendChild(link);
    } else {
      heading.textContent = p.name;
    }
    panel.appendChild(heading);
    var list = document.createElement("dl");
    (p.rows || []).forEach(function (pair) {
      var dt = document.createElement("dt");
      dt.textContent = pair[0];
      var dd = document.createElement("dd");
      dd.textContent = pair[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    panel.dataset.area = p.id;
  }

  // data-refresh="N": fetch the features again every N seconds (live progress), keeping the view
  // where the user left it and the panel on the area it shows.
  var layer = null;
  var selectedId = null;
  function draw(data, first) {
    if (layer) { map.removeLayer(layer); }
    var selected = null;
    layer = L.geoJSON(data, {
      style: function (feature) {
        return { color: "#555", weight: 0.6, fillColor: color(feature.properties.value), fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties || {};
        shape.bindTooltip(textLabel(p.name + (p.value === null || p.value === undefined ? "" : ": " + format(p.value))));
        shape.on("click", function () {
          if (selected) { selected.setStyle({ weight: 0.6, color: "#555" }); }
          selected = shape;
          selectedId = p.id;
          shape.setStyle({ weight: 2.5, color: "#111" });
          show(p);
        });
        if (shape.getElement) {
          shape.on("add", function () {
            var node = shape.getElement();
            if (node) { node.setAttribute("data-area", p.id); }
          });
        }
        if (!first && p.id === selectedId) { show(p); }
      }
    }).addTo(map);
    if (first) {
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); }
      // Marks go on after the map has its view: Leaflet draws nothing added before.
      layer.eachLayer(function (shape) {
        var p = shape.feature.properties || {};
        if (!p.mark || !shape.getBounds) { return; }
        L.circleMarker(shape.getBounds().getCenter(), {
          radius: 5, color: "#111", weight: 1.5, fillColor: "#f2b701", fillOpacity: 1, className: "mark"
        }).bindTooltip(textLabel(p.mark)).addTo(map);
      });
    }
    el.dataset.features = String(data.features.length);
    el.classList.add("map-ready");
  }

  function load(first) {
    return fetch(el.dataset.geojson, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        draw(data, first);
        el.dataset.loads = String(parseInt(el.dataset.loads || "0", 10) + 1);
      })
      .catch(function () { if (first) { el.dataset.features = "error"; } });
  }

  load(true);
  var every = parseFloat(el.dataset.refresh || "0");
  if (every > 0) {
    setInterval(function () { if (!document.hidden) { load(false); } }, every * 1000);
  }
}());
