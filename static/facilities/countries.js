// The choropleth of Europe: country outlines (vendored Natural Earth TopoJSON) shaded by the class the
// server computed for each country (json_script "choropleth-data"); the legend and table are in the HTML.
// Redrawn after htmx swaps the results when the metric changes. No external request.
(function () {
  "use strict";
  var script = document.getElementById("choropleth-script");
  var topologyUrl = script && script.getAttribute("data-topology");
  var topologyPromise = null;
  var SVG = "http://www.w3.org/2000/svg";
  // Lambert azimuthal equal-area centred on 52N 10E (as ETRS89-LAEA, EPSG:3035), on the unit sphere.
  var LAT0 = 52 * Math.PI / 180, LON0 = 10 * Math.PI / 180;
  // The frame shown: from the Azores' side of Portugal to Cyprus, Crete to the North Cape.
  var X0 = -0.4, X1 = 0.48, Y0 = -0.42, Y1 = 0.32;

  function project(lon, lat) {
    var l = lon * Math.PI / 180 - LON0, p = lat * Math.PI / 180;
    var k = Math.sqrt(2 / (1 + Math.sin(LAT0) * Math.sin(p) + Math.cos(LAT0) * Math.cos(p) * Math.cos(l)));
    return [k * Math.cos(p) * Math.sin(l), k * (Math.cos(LAT0) * Math.sin(p) - Math.sin(LAT0) * Math.cos(p) * Math.cos(l))];
  }

  function pathData(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    var d = "";
    polygons.forEach(function (rings) {
      rings.forEach(function (ring) {
        ring.forEach(function (point, i) {
          var xy = project(point[0], point[1]);
          d += (i ? "L" : "M") + (xy[0] * 1000).toFixed(1) + " " + (-xy[1] * 1000).toFixed(1);
        });
        d += "Z";
      });
    });
    return d;
  }

  function draw(topology) {
    var holder = document.getElementById("choropleth");
    var source = document.getElementById("choropleth-data");
    if (!holder || !source) return;
    var data = JSON.parse(source.textContent);
    var context = new Set(data.context);
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", [X0 * 1000, -Y1 * 1000, (X1 - X0) * 1000, (Y1 - Y0) * 1000].join(" "));
    svg.setAttribute("aria-hidden", "true");
    window.topojson.feature(topology, topology.objects.countries).features.forEach(function (feature) {
      var row = data.countries[feature.id];
      if (!feature.geometry || (!row && !context.has(feature.id))) return;
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", pathData(feature.geometry));
      if (row && row["class"] !== null) {
        path.setAttribute("class", "choropleth-c" + row["class"]);
        path.setAttribute("data-country", row.name);
        var title = document.createElementNS(SVG, "title");
        title.textContent = row.name + ": " + row.count + " (" + row.per_million + " per million)";
        path.appendChild(title);
      } else {
        path.setAttribute("class", "context");
      }
      svg.appendChild(path);
    });
    holder.replaceChildren(svg);
    holder.setAttribute("data-drawn", "true");
  }

  function render() {
    if (!topologyUrl || !window.topojson || !document.getElementById("choropleth")) return;
    topologyPromise = topologyPromise || fetch(topologyUrl).then(function (r) { return r.json(); });
    topologyPromise.then(draw).catch(function () {
      var holder = document.getElementById("choropleth");
      if (holder) holder.textContent = "The map could not be drawn; the table has the same figures.";
    });
  }

  render();
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "country-results") render();
  });
})();
