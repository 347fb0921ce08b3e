/* The report map's pins, legend, layer switcher and themes table, built from its JSON data element.
   Every text is set with textContent: nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Residents write in their own language: its direction, not the report's, lays the text out.
  function typed(tag, className, text) {
    var node = element(tag, className, text);
    node.dir = "auto";
    return node;
  }

  function popupOf(pin, labels) {
    var box = element("div", "report-popup");
    box.appendChild(element("p", "report-category", pin.label));
    box.appendChild(typed("p", "report-text", pin.text));
    if (pin.author) box.appendChild(element("p", "report-muted", pin.author));
    if (pin.photo) box.appendChild(element("p", "report-muted", pin.photo));
    box.appendChild(element("p", "report-muted", pin.meta));
    if (pin.answer) {
      var answer = element("div", "report-answer");
      answer.appendChild(element("p", "report-category", labels.answer));
      answer.appendChild(typed("p", null, pin.answer));
      box.appendChild(answer);
    }
    if (pin.replies.length) {
      var list = element("ul");
      pin.replies.forEach(function (reply) {
        var item = typed("li", null, reply.text);
        if (reply.author) item.appendChild(element("p", "report-muted", reply.author));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  function control(position, node) {
    var Box = L.Control.extend({
      onAdd: function () {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      }
    });
    return new Box({ position: position });
  }

  function legendOf(data) {
    var box = element("div", "report-legend");
    box.appendChild(element("h1", null, data.title));
    if (data.question) box.appendChild(element("p", null, data.question));
    box.appendChild(element("p", null, data.generated));
    var list = element("ul");
    data.categories.forEach(function (category) {
      var item = element("li");
      var swatch = element("span", "swatch");
      swatch.style.background = category.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(category.label + " (" + category.count + ")"));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  // The themes table: collapsed at first, so that it does not cover the map.
  function themesOf(themes) {
    var box = element("details", "report-themes");
    box.appendChild(element("summary", null, themes.heading));
    themes.notes.forEach(function (note) {
      box.appendChild(element("p", null, note));
    });
    if (!themes.groups.length) return box;
    var table = element("table");
    table.appendChild(element("caption", null, themes.heading));
    var head = element("tr");
    themes.columns.forEach(function (name) {
      var cell = element("th", null, name);
      cell.scope = "col";
      head.appendChild(cell);
    });
    table.appendChild(element("thead")).appendChild(head);
    var body = table.appendChild(element("tbody"));
    themes.groups.forEach(function (group) {
      var row = element("tr");
      var label = element("th", null, group.label);
      label.scope = "row";
      row.appendChild(label);
      row.appendChild(typed("td", null, group.terms));
      row.appendChild(element("td", "report-count", String(group.count)));
      row.appendChild(typed("td", null, group.text));
      body.appendChild(row);
    });
    box.appendChild(table);
    return box;
  }

  function switcherOf(map, title, layers) {
    var box = element("div", "report-layers leaflet-control-layers leaflet-control-layers-expanded");
    var group = element("fieldset", "leaflet-control-layers-overlays");
    group.appendChild(element("legend", null, title));
    layers.forEach(function (entry) {
      var label = element("label");
      var box_ = element("input");
      box_.type = "checkbox";
      box_.checked = map.hasLayer(entry.layer);
      box_.addEventListener("change", function () {
        if (box_.checked) map.addLayer(entry.layer);
        else map.removeLayer(entry.layer);
      });
      label.appendChild(box_);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(element("span", null, entry.name));
      group.appendChild(label);
    });
    box.appendChild(group);
    return box;
  }

  window.geoappReport = function (map, folium) {
    var data = JSON.parse(document.getElementById("report-data").textContent);
    document.documentElement.lang = data.language;
    document.documentElement.dir = data.direction;
    var tiles = L.tileLayer(data.tiles.url, { maxZoom: 19 }).addTo(map);
    tiles.bringToBack();
    var layers = [
      { name: data.labels.layer_basemap, layer: tiles },
      { name: data.labels.layer_perimeter, layer: folium.perimeter },
      { name: data.labels.layer_heat, layer: folium.heat }
    ];
    var colours = {};
    var clusters = {};
    data.categories.forEach(function (category) {
      colours[category.key] = category.color;
      clusters[category.key] = L.markerClusterGroup().addTo(map);
      layers.push({ name: category.label, layer: clusters[category.key] });
    });
    data.pins.forEach(function (pin) {
      var cluster = clusters[pin.category];
      if (!cluster) return;
      L.circleMarker([pin.lat, pin.lon], {
        radius: 8, color: "#ffffff", weight: 1, fillColor: colours[pin.category], fillOpacity: 0.9
      }).bindPopup(popupOf(pin, data.labels)).addTo(cluster);
    });
    control("topright", switcherOf(map, data.labels.layers, layers)).addTo(map);
    control("bottomleft", legendOf(data)).addTo(map);
    control("topleft", themesOf(data.themes)).addTo(map);
    var credit = element("div", "leaflet-control-attribution", "Leaflet | " + data.tiles.attribution);
    control("bottomright", credit).addTo(map);
  };
})();
