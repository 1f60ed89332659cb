// Draws the GeoJSON of an area page on a Leaflet map. No tile server is needed:
// polygons are drawn on a plain background unless a tile URL is configured.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  // Leaflet draws nothing added before the map has a view: give it one first.
  map.setView([0, 0], 2);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var base = el.dataset.linkBase;
  fetch(el.dataset.geojson, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return { color: "#b3261e", weight: 1.5, fillColor: "#f4a39c", fillOpacity: 0.25 }; },
        onEachFeature: function (feature, shape) {
          var p = feature.properties || {};
          // Leaflet puts a string tooltip in as HTML: an area's name goes in as text.
          var label = document.createElement("span");
          label.textContent = p.name || "";
          shape.bindTooltip(label);
          shape.on("click", function () { window.location.href = base + p.id + "/"; });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); }
      el.dataset.features = String(data.features.length);
      el.classList.add("map-ready");
    })
    .catch(function () { el.dataset.features = "error"; });
}());
