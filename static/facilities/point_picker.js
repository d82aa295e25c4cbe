// Latitude/longitude picker (facilities.widgets.LatLonWidget): click the map or drag the
// marker to write the inputs; typing in the inputs moves the marker. Works with no tiles.
(function () {
  "use strict";

  function round6(x) { return Math.round(x * 1e6) / 1e6; }

  function setUp(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var latInput = root.querySelector("[data-point-lat]");
    var lonInput = root.querySelector("[data-point-lon]");
    var mapEl = root.querySelector("[data-point-map]");
    if (!window.L || !latInput || !lonInput || !mapEl) return;

    var map = L.map(mapEl).setView(
      [parseFloat(root.dataset.centerLat), parseFloat(root.dataset.centerLon)],
      parseInt(root.dataset.zoom, 10) || 4
    );
    if (root.dataset.tileUrl) {
      L.tileLayer(root.dataset.tileUrl, { attribution: root.dataset.attribution || "" }).addTo(map);
    }
    var marker = null;

    function writeInputs(latlng) {
      latInput.value = round6(latlng.lat).toFixed(6);
      lonInput.value = round6(L.Util.wrapNum(latlng.lng, [-180, 180], true)).toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function place(latlng, write) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: "Facility location" }).addTo(map);
        marker.on("dragend", function () { writeInputs(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (write) writeInputs(latlng);
    }

    function fromInputs() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        place(L.latLng(lat, lon), false);
        return true;
      }
      return false;
    }

    if (fromInputs()) map.setView(marker.getLatLng(), 12);
    map.on("click", function (event) { place(event.latlng, true); });
    latInput.addEventListener("input", fromInputs);
    lonInput.addEventListener("input", fromInputs);
    root.pointPicker = { map: map, place: place };
  }

  function setUpAll() { document.querySelectorAll("[data-point-picker]").forEach(setUp); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
