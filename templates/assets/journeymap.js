/* journeymap: search on every page and touchpoint filters on the map page.
   Pages read fully without this script; it only adds finding things. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";

  /* The index (megabytes for a large portfolio) is loaded when someone first goes to search, not with
     every page; a script, not a fetch, so that search works from file:// too. */
  var waiting = null;
  function withIndex(then) {
    if (window.JOURNEYMAP_SEARCH) { then(); return; }
    if (!waiting) {
      waiting = [];
      var script = document.createElement("script");
      script.src = root + "assets/search-index.js";
      script.onload = function () { waiting.forEach(function (callback) { callback(); }); };
      document.head.appendChild(script);
    }
    waiting.push(then);
  }

  function setupSearch() {
    var form = document.querySelector("form.search");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    if (!form || !input || !list) return;
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("focus", function () { withIndex(function () {}); });
    function matches(query) {
      var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      var index = window.JOURNEYMAP_SEARCH || [];
      if (!terms.length) return [];
      return index.filter(function (entry) {
        var hay = (entry.title + " " + entry.text + " " + entry.kind).toLowerCase();
        return terms.every(function (t) { return hay.indexOf(t) !== -1; });
      }).map(function (entry, position) {
        var title = entry.title.toLowerCase(), phrase = terms.join(" ");
        var score = title === phrase ? 3 : title.indexOf(phrase) === 0 ? 2 : title.indexOf(phrase) !== -1 ? 1 : 0;
        return { entry: entry, score: score, position: position };
      }).sort(function (a, b) {
        return b.score - a.score || a.position - b.position;
      }).slice(0, 12).map(function (ranked) { return ranked.entry; });
    }
    function show() {
      var found = matches(input.value);
      list.textContent = "";
      found.forEach(function (entry) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + entry.url;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = entry.kind;
        a.appendChild(kind);
        a.appendChild(document.createTextNode(entry.title));
        li.appendChild(a);
        list.appendChild(li);
      });
      if (input.value && !found.length) {
        var none = document.createElement("li");
        none.textContent = "Nothing found";
        none.className = "muted";
        list.appendChild(none);
      }
      list.hidden = !input.value;
    }
    input.addEventListener("input", function () { withIndex(show); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        withIndex(function () {  /* Enter typed before the index arrived still goes to the first result */
          show();
          var first = list.querySelector("a");
          if (first) { window.location.href = first.href; }
        });
      }
      if (event.key === "Escape") { input.value = ""; show(); }
    });
  }

  function setupFilters() {
    var form = document.getElementById("filters");
    if (!form) return;
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var cards = Array.prototype.slice.call(document.querySelectorAll(".journey-map .card"));
    var count = document.getElementById("filter-count");
    function apply() {
      var owner = form.elements.owner.value, initiator = form.elements.initiator.value;
      var intent = form.elements.intent.value, noSla = form.elements["no-sla"].checked;
      var shown = 0;
      cards.forEach(function (card) {
        var ok = (!owner || card.getAttribute("data-owner") === owner) &&
          (!initiator || card.getAttribute("data-initiator") === initiator) &&
          (!intent || card.getAttribute("data-intent") === intent) &&
          (!noSla || card.getAttribute("data-no-sla") === "yes");
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + cards.length + " touchpoints shown";
    }
    form.addEventListener("change", apply);
    apply();
  }

  setupSearch();
  setupFilters();
})();
