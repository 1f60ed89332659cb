// A small map with the event's place: one dot, no tile server needed (tiles if configured).
(function () {
  "use strict";
  var el = document.getElementById("event-map");
  if (!el || typeof L === "undefined") { return; }
  var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var map = L.map(el, { scrollWheelZoom: false });
  // Leaflet draws nothing added before the map has a view: give it one first.
  map.setView(point, 16);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
  }
  L.circleMarker(point, { radius: 9, color: "#b3261e", weight: 3, fillColor: "#f4a39c", fillOpacity: 0.8 }).addTo(map);
  el.classList.add("map-ready");
}());
