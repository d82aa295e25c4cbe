// The public facility map (templates/facilities/map.html).
// django-leaflet creates the map and calls window.facilitiesMapInit(map). We then load
// /api/facilities/ (GeoJSON) with the page's filters into a marker-cluster layer, and keep
// the filters, the URL, the markers and the server-rendered list in step. Everything works
// without tiles: markers are drawn on the map's plain background.
(function () {
  "use strict";

  var FILTERS = ["q", "country", "atmp_type", "activity", "authorisation", "services",
    "institution_type", "trial_atmp_type", "in_bbox"];

  function filterQuery(params) {
    var out = new URLSearchParams();
    FILTERS.forEach(function (name) {
      params.getAll(name).forEach(function (value) { if (value) out.append(name, value); });
    });
    return out;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Built with DOM nodes, never innerHTML: facility texts are data, not markup.
  function popupContent(p) {
    var root = el("div", { "class": "facility-popup", "data-testid": "facility-popup" });
    root.appendChild(el("h3", {}, p.name));
    root.appendChild(el("div", {}, p.institution + " · " + p.institution_type_label));
    root.appendChild(el("div", { "class": "text-body-secondary" }, p.city + ", " + p.country_name));
    if (p.is_demo) root.appendChild(el("span", { "class": "badge text-bg-warning" }, "Demo content"));
    function list(title, items) {
      if (!items || !items.length) return;
      root.appendChild(el("strong", {}, title));
      var ul = el("ul");
      items.forEach(function (item) { ul.appendChild(el("li", {}, item)); });
      root.appendChild(ul);
    }
    list("Manufactures", p.atmp_type_labels);
    list("Activities", p.activity_labels);
    list("Regulatory status", p.authorisations);
    if (p.services_to_third_parties) root.appendChild(el("div", {}, "Offers services to third parties"));
    var link = el("a", { href: p.url }, "Facility page");
    root.appendChild(el("div", { "class": "mt-1" })).appendChild(link);
    return root;
  }

  // The first GeoJSON request starts while the page is still loading (django-leaflet only
  // creates the map on window "load"): for 10,000 facilities this saves a few hundred ms.
  var early = null;
  function startEarlyFetch() {
    var app = document.getElementById("facilities-app");
    if (!app || early) return;
    var query = filterQuery(new URLSearchParams(window.location.search));
    early = { query: query.toString(), promise: fetchFeatures(app.dataset.apiUrl, query) };
  }

  // Markers need only slug, name and type (?view=map, a quarter of the bytes); a popup loads the rest.
  function fetchFeatures(apiUrl, query) {
    var light = new URLSearchParams(query);
    light.set("view", "map");
    return fetch(apiUrl + "?" + light.toString(), { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("The map data could not be loaded (" + response.status + ").");
        return response.json();
      });
  }

  window.facilitiesMapInit = function (map) {
    var app = document.getElementById("facilities-app");
    var form = document.getElementById("facility-filters");
    var results = document.getElementById("facility-results");
    var status = document.getElementById("map-status");
    var mapEl = map.getContainer();
    var colours = JSON.parse(document.getElementById("facility-colours").textContent);
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      // Thousands of markers are added in chunks so the page stays responsive; "ready" (read by
      // the browser tests and bench/facilities) is set once the last chunk is on the map.
      chunkedLoading: true,
      chunkDelay: 1,
      chunkProgress: function (processed, total) {
        // Called just before the clusters are put on the map: mark ready right after that.
        if (adding && processed === total) {
          adding = false;
          window.setTimeout(markReady, 0);
        }
      }
    });
    var markers = {};
    var generation = 0;
    var adding = false;  // true while our own addLayers() call is being processed
    map.addLayer(clusters);
    // One popup for all markers: creating 10,000 popup objects up front costs more than the map.
    var popup = L.popup({ maxWidth: 320 });
    function openPopup(marker) {
      var p = marker.facility;
      popup.setLatLng(marker.getLatLng()).openOn(map);
      if (marker.details) { popup.setContent(popupContent(marker.details)); return; }
      var loading = el("div", { "class": "facility-popup", "data-testid": "facility-popup" });
      loading.appendChild(el("h3", {}, p.name));
      loading.appendChild(el("div", { "class": "text-body-secondary" }, "Loading…"));
      popup.setContent(loading);
      fetch(app.dataset.apiUrl + encodeURIComponent(p.slug) + "/", { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (feature) {
          marker.details = feature.properties;
          var stillOpen = popup.isOpen() && popup.getLatLng().equals(marker.getLatLng());
          if (stillOpen) popup.setContent(popupContent(marker.details));
        })
        .catch(function () {
          var link = el("a", { href: app.dataset.listUrl + encodeURIComponent(p.slug) + "/" }, "Facility page");
          loading.lastChild.textContent = "";
          loading.lastChild.appendChild(link);
        });
    }
    clusters.on("click", function (event) { openPopup(event.layer); });

    map.on("tileerror", function () {
      status.textContent = "The base map could not be loaded; markers, list and filters still work.";
    });

    function markerFor(feature) {
      var c = feature.geometry.coordinates, p = feature.properties;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: 8, weight: 2, color: "#fff", fillColor: colours[p.institution_type] || "#0d6efd", fillOpacity: 0.95
      });
      marker.facility = p;
      markers[feature.id] = marker;
      return marker;
    }

    function markReady() {
      if (mapEl.dataset.state !== "loading") return;
      mapEl.dataset.state = "ready";
      mapEl.dataset.readyAt = String(Math.round(performance.now()));
    }

    function loadMarkers(query, fit) {
      var mine = ++generation;
      mapEl.dataset.state = "loading";
      var request;
      if (early && early.query === query.toString()) {
        request = early.promise;
      } else {
        request = fetchFeatures(app.dataset.apiUrl, query);
      }
      early = null;
      return request
        .then(function (data) {
          if (mine !== generation) return;  // a newer filter change has already started
          clusters.clearLayers();
          markers = {};
          mapEl.dataset.markerCount = String(data.features.length);
          if (fit && data.features.length) {
            var bounds = L.latLngBounds(data.features.map(function (f) {
              return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
            }));
            map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
          }
          if (data.features.length) {
            adding = true;
            clusters.addLayers(data.features.map(markerFor));
          } else {
            markReady();
          }
          if (status.textContent.indexOf("could not") !== -1) status.textContent = "";
        })
        .catch(function (error) {
          mapEl.dataset.state = "error";
          status.textContent = error.message;
        });
    }

    function loadList(query) {
      // htmx sends HX-Request; the page view answers with the list alone (request.htmx).
      if (!window.htmx) return Promise.resolve();
      return window.htmx.ajax("GET", app.dataset.listUrl + "?" + query.toString(), { target: results, swap: "innerHTML" })
        .then(enableListButtons)
        .catch(function () { /* the previous list stays; the markers show the new state */ });
    }

    function enableListButtons() {
      results.querySelectorAll("[data-show-on-map]").forEach(function (button) {
        button.classList.remove("d-none");
      });
    }

    function apply() {
      var query = filterQuery(new URLSearchParams(new FormData(form)));
      var url = window.location.pathname + (query.toString() ? "?" + query.toString() : "");
      window.history.replaceState(null, "", url);  // the view can be shared as a link
      loadList(query);
      return loadMarkers(query, true);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });

    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-show-on-map]");
      if (!button) return;
      var marker = markers[button.dataset.showOnMap];
      if (marker) clusters.zoomToShowLayer(marker, function () { openPopup(marker); });
    });

    enableListButtons();
    startEarlyFetch();
    loadMarkers(filterQuery(new URLSearchParams(window.location.search)), true);
    window.facilitiesMap = { map: map, clusters: clusters, markers: function () { return markers; } };
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startEarlyFetch);
  else startEarlyFetch();
})();
