// The small map on a facility page: one marker at the facility, with or without tiles.
(function () {
  "use strict";
  window.facilityDetailMapInit = function (map) {
    var el = map.getContainer();
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    if (!isFinite(lat) || !isFinite(lon)) return;
    L.circleMarker([lat, lon], {
      radius: 9, weight: 2, color: "#fff", fillColor: el.dataset.colour || "#0d6efd", fillOpacity: 0.95
    }).bindTooltip(el.dataset.name).addTo(map);
    map.setView([lat, lon], 11);
    el.dataset.state = "ready";
  };
})();
