/* journeymap: search on every page; the map page's filters and its overview/detail toggle.
   Pages read fully without this script; it only adds finding things. assets/early.js marks <html>
   with the class "js" before the first paint, so what this script brings has its room from the start. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var LIMIT = 12;  /* results listed; the count announced is of all that match */
  var SHORT = 3;   /* a term this long or shorter is a whole word, an abbreviation (see termMatches) */

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

  /* Words as search compares them: accents folded ("Tomás" is found as "tomas"), split at anything
     that is not a letter or a digit, so ids ("demo-request-form") are words too. Case is kept. */
  function words(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* The rule (docs/templates.md): a term matches a word it starts, or the word's plural or singular,
     never the inside of a word. A short term ("sla", "sdr") is a whole word: "sla" finds "SLA" and
     "SLAs", not "Slack"; in a title it may also start a word, so "sales dev" finds Sales Development
     as you type, unless it is typed in capitals ("SLA"), as an abbreviation is. */
  function termMatches(term, word, inTitle) {
    if (word === term.text || word + "s" === term.text || word === term.text + "s") return true;
    if (term.text.length > SHORT) return word.indexOf(term.text) === 0;
    return inTitle && !term.capitals && word.indexOf(term.text) === 0;
  }

  function queryTerms(query) {
    return words(query).map(function (word) {
      return { text: word.toLowerCase(), capitals: word.length > 1 && word === word.toUpperCase() &&
               word !== word.toLowerCase() };
    });
  }

  var prepared = null;  /* per entry: its words, once, not on every key */
  function preparedIndex() {
    var index = window.JOURNEYMAP_SEARCH || [];
    if (!prepared || prepared.index !== index) {
      prepared = { index: index, items: index.map(function (entry) {
        var lower = function (text) { return words(text).map(function (w) { return w.toLowerCase(); }); };
        var title = lower(entry.title);
        var names = String(entry.keywords || "").split(/\s+/).filter(Boolean);
        return { entry: entry, title: title, titleText: title.join(" "),
                 names: names.map(function (name) { return lower(name).join(" "); }),
                 rest: lower(entry.text + " " + entry.kind + " " + names.join(" ")) };
      }) };
    }
    return prepared.items;
  }

  function everyTermIn(terms, list, inTitle) {
    return terms.every(function (term) {
      return list.some(function (word) { return termMatches(term, word, inTitle); });
    });
  }

  /* Exact title (or another name: "sdr", the team's id) first, then titles starting with the query,
     then titles holding it, then the rest. */
  function score(item, terms) {
    var phrase = terms.map(function (term) { return term.text; }).join(" ");
    if (item.titleText === phrase || item.names.indexOf(phrase) !== -1) return 3;
    if (!everyTermIn(terms, item.title, true)) return 0;
    return item.titleText.indexOf(phrase) === 0 ? 2 : 1;
  }

  function matches(query) {
    var terms = queryTerms(query);
    if (!terms.length) return [];
    return preparedIndex().filter(function (item) {
      return terms.every(function (term) {
        return item.title.some(function (word) { return termMatches(term, word, true); }) ||
          item.rest.some(function (word) { return termMatches(term, word, false); });
      });
    }).map(function (item, position) {
      return { entry: item.entry, score: score(item, terms), position: position };
    }).sort(function (a, b) {
      return b.score - a.score || a.position - b.position;
    }).map(function (ranked) { return ranked.entry; });
  }

  /* The results as an option of the listbox: a link still (middle-click opens it in a tab), out of
     the tab order, since focus stays in the box (WAI-ARIA combobox). */
  function option(entry, position) {
    var item = document.createElement("li");
    item.setAttribute("role", "none");
    var link = document.createElement("a");
    link.id = "search-option-" + position;
    link.href = root + entry.url;
    link.tabIndex = -1;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = entry.kind;
    link.appendChild(kind);
    link.appendChild(document.createTextNode(entry.title));
    item.appendChild(link);
    return item;
  }

  function countSaid(found) {
    if (!found) return "Nothing found";
    var said = found === 1 ? "1 result" : found + " results";
    return found > LIMIT ? said + ", the first " + LIMIT + " listed" : said;
  }

  function setupSearch() {
    var form = document.querySelector("form.search");
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!form || !input || !list || !status) return;
    var listedFor = null;

    function options() { return list.querySelectorAll("[role=option]"); }
    function activeOption() {
      var id = input.getAttribute("aria-activedescendant");
      return id ? document.getElementById(id) : null;
    }
    function setActive(position) {
      Array.prototype.forEach.call(options(), function (each, at) {
        each.setAttribute("aria-selected", String(at === position));
        if (at === position) {
          input.setAttribute("aria-activedescendant", each.id);
          each.scrollIntoView({ block: "nearest" });
        }
      });
      if (position < 0) input.removeAttribute("aria-activedescendant");
    }
    function open(isOpen) {
      list.hidden = !isOpen;
      input.setAttribute("aria-expanded", String(isOpen));
    }
    function show() {
      var found = matches(input.value);
      listedFor = input.value;
      list.textContent = "";
      found.slice(0, LIMIT).forEach(function (entry, position) { list.appendChild(option(entry, position)); });
      setActive(-1);
      open(found.length > 0);
      status.textContent = input.value.trim() ? countSaid(found.length) : "";
      status.classList.toggle("is-shown", !!input.value.trim() && !found.length);
    }
    function current(then) {  /* the list for what is in the box now, the index loaded if need be */
      withIndex(function () { if (listedFor !== input.value) show(); then(); });
    }
    function move(step) {
      current(function () {
        var all = options(), at = Array.prototype.indexOf.call(all, activeOption());
        if (!all.length) return;
        open(true);
        setActive(at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length);
      });
    }
    function go() {
      current(function () {  /* Enter typed before the index arrived still goes to the first result */
        var chosen = activeOption() || options()[0];
        if (!chosen) return;
        open(false);
        window.location.href = chosen.href;
      });
    }
    function clear() { input.value = ""; show(); }

    var keys = { ArrowDown: function () { move(1); }, ArrowUp: function () { move(-1); }, Enter: go,
                 Escape: clear };
    input.addEventListener("keydown", function (event) {
      if (!Object.prototype.hasOwnProperty.call(keys, event.key) || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
      event.preventDefault();
      keys[event.key]();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("focus", function () { withIndex(function () { if (input.value) show(); }); });
    input.addEventListener("input", function () { withIndex(show); });
    list.addEventListener("click", function () { open(false); });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("keydown", function (event) { slashFocuses(event, input); });
  }

  /* `/` anywhere but in a field goes to the search box, as on GitHub and MDN. */
  function slashFocuses(event, input) {
    if (event.key !== "/" || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (target.isContentEditable || (target.closest && target.closest("input, select, textarea"))) return;
    event.preventDefault();
    input.focus();
    input.select();
  }

  /* The address keeps the map's filters and view (`?owner=sdr&view=detail`), so a view can be shared.
     The query string is anyone's to write: a value is used only if it is one of the form's own. */
  function addressed() { return new URLSearchParams(window.location.search); }
  function keepInAddress(params) {
    var query = params.toString();
    try {
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (refused) {  /* a sandboxed frame may not rewrite its address; the filters work anyway */
    }
  }

  /* What a filter control asks for: a select's value, a checkbox's value when ticked, or "" (anything). */
  function wanted(control) {
    return control.type === "checkbox" ? (control.checked ? control.value : "") : control.value;
  }

  function chooseFromAddress(control, params) {
    var value = params.get(control.name);
    if (value === null) return;
    if (control.type === "checkbox") {
      control.checked = value === control.value;
    } else if (Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
      control.value = value;
    }
  }

  function setupFilters() {
    var form = document.getElementById("filters");
    if (!form) return;
    form.hidden = false;  /* a template of before `.js-only` hides the bar until now */
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    /* each named control keeps the cards whose data-<name> is what it asks for */
    var controls = Array.prototype.filter.call(form.elements, function (control) {
      return control.name && (control.tagName === "SELECT" || control.type === "checkbox");
    });
    var cards = Array.prototype.slice.call(document.querySelectorAll(".journey-map .card"));
    var count = document.getElementById("filter-count");
    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var kept = controls.every(function (control) {
          var value = wanted(control);
          return !value || card.getAttribute("data-" + control.name) === value;
        });
        card.hidden = !kept;
        if (kept) shown += 1;
      });
      if (count) count.textContent = shown + " of " + cards.length + " touchpoints shown";
    }
    var params = addressed();
    controls.forEach(function (control) { chooseFromAddress(control, params); });
    apply();
    form.addEventListener("change", function () {
      apply();
      var now = addressed();
      controls.forEach(function (control) {
        if (wanted(control)) now.set(control.name, wanted(control)); else now.delete(control.name);
      });
      keepInAddress(now);
    });
  }

  /* The map's overview/detail toggle: a button#map-detail with aria-pressed; `?view=` keeps a view that
     differs from the one the page comes with. */
  function setupDetailToggle() {
    var button = document.getElementById("map-detail");
    var map = document.querySelector(".journey-map");
    if (!button || !map) return;
    var initially = button.getAttribute("aria-pressed") === "true";
    function detailed(isDetailed) {
      map.classList.toggle("is-detailed", isDetailed);
      button.setAttribute("aria-pressed", String(isDetailed));
    }
    var view = addressed().get("view");
    detailed(view === "detail" ? true : view === "overview" ? false : initially);
    button.addEventListener("click", function () {
      var isDetailed = button.getAttribute("aria-pressed") !== "true";
      detailed(isDetailed);
      var params = addressed();
      if (isDetailed === initially) params.delete("view"); else params.set("view", isDetailed ? "detail" : "overview");
      keepInAddress(params);
    });
  }

  /* The card a link landed on (`#card-…`, `#tp-…`) back in view when filters or the view, applied from
     the address, moved it after the browser had scrolled to it. style.css keeps it clear of the
     sticky header row and lane column (scroll-margin, scroll-padding). */
  function revealTarget() {
    var target = document.querySelector(":target");
    if (target && !target.hidden) target.scrollIntoView({ block: "start" });
  }

  setupSearch();
  setupFilters();
  setupDetailToggle();
  if (window.location.search) revealTarget();
})();
