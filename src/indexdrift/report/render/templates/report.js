// indexdrift report: filter, sort and render the drift matrix in chunks; copy buttons.
// No network, no libraries: the rows are the JSON in #report-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var T = data.text;
  var CHUNK = 200;
  var body = document.getElementById("rows");

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  // Copy buttons work without a matrix (statements only need them).
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () { copy(button); });
  });

  function copy(button) {
    var pre = document.getElementById(button.getAttribute("data-copy"));
    var text = pre.textContent;
    var label = button.textContent;
    function done(ok) {
      button.textContent = ok ? T.copied : T.copy_failed;
      setTimeout(function () { button.textContent = label; }, 1500);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  if (!body) { return; }
  var rows = data.rows;
  var envCount = data.envs.length;
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var more = document.getElementById("more");
  var envSelect = document.getElementById("f-env");
  // The object column and filter exist when the findings are of several object kinds.
  var objectSelect = document.getElementById("f-object");
  var lead = data.objects ? 1 : 0;
  var textInput = document.getElementById("f-text");
  // Advisories are per env too: the env filter narrows them (they have no kind or text filter).
  var advisoryItems = Array.prototype.slice.call(document.querySelectorAll("#advisories li[data-env]"));
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));
  var headers = Array.prototype.slice.call(document.querySelectorAll("#drift thead th"));
  var collator = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });

  var view = rows.slice();  // the filtered, sorted rows
  var rendered = 0;         // how many of them are in the table
  var sortColumn = -1, sortDir = 1;

  function cellText(cell) {
    if (typeof cell === "string") { return cell; }
    var out = "";
    for (var i = 0; i < cell.length; i++) { if (cell[i][0] !== 2) { out += cell[i][1]; } }
    return out;
  }

  // Column n of a row, as text: [object,] index, table, baseline, envs..., action, note.
  function columnText(row, n) {
    if (lead) {
      if (n === 0) { return data.objects[row.o]; }
      n -= 1;
    }
    if (n === 0) { return row.i; }
    if (n === 1) { return row.t; }
    if (n === 2) { return row.b; }
    if (n < 3 + envCount) { return cellText(row.c[n - 3]); }
    return n === 3 + envCount ? row.a : row.n;
  }

  function fillCell(td, cell) {
    if (typeof cell === "string") { td.textContent = cell; return; }
    for (var i = 0; i < cell.length; i++) {
      var code = cell[i][0], text = cell[i][1];
      if (code === 0) {
        td.appendChild(document.createTextNode(text));
      } else {
        var mark = document.createElement(code === 1 ? "ins" : "del");
        mark.textContent = text;
        mark.title = code === 1 ? T["diff.inserted"] : T["diff.deleted"];
        td.appendChild(mark);
      }
    }
  }

  function rowElement(row) {
    var tr = document.createElement("tr");
    if (row.w) { tr.className = "waived"; }
    function add(text, cls) {
      var td = document.createElement("td");
      if (cls) { td.className = cls; }
      if (text !== null) { td.textContent = text; }
      tr.appendChild(td);
      return td;
    }
    if (lead) { add(data.objects[row.o], "obj"); }
    add(row.i, "idx");
    add(row.t, "tbl");
    add(row.b, "def base");
    for (var e = 0; e < envCount; e++) {
      var kind = row.k[e];
      var td = add(null, "def" + (kind >= 0 ? " k-" + data.kinds[kind] : ""));
      if (kind >= 0) { td.setAttribute("data-kind", data.kinds[kind]); }
      fillCell(td, row.c[e]);
    }
    add(row.a, "act");
    add(row.n, "note");
    return tr;
  }

  function renderMore() {
    var end = Math.min(rendered + CHUNK, view.length);
    if (end <= rendered) { return; }
    var fragment = document.createDocumentFragment();
    for (var i = rendered; i < end; i++) { fragment.appendChild(rowElement(view[i])); }
    body.appendChild(fragment);
    rendered = end;
    updateCount();
  }

  function updateCount() {
    shown.textContent = format(T.shown, { shown: view.length, total: rows.length });
    shown.setAttribute("data-rendered", String(rendered));
    shown.setAttribute("data-matching", String(view.length));
    empty.hidden = view.length !== 0;
  }

  function apply() {
    var env = envSelect.value === "" ? -1 : parseInt(envSelect.value, 10);
    var object = !objectSelect || objectSelect.value === "" ? -1
      : parseInt(objectSelect.value, 10);
    var kinds = {};
    kindBoxes.forEach(function (box) { if (box.checked) { kinds[box.value] = true; } });
    var query = textInput.value.trim().toLowerCase();
    view = rows.filter(function (row) {
      var hit = false;
      for (var e = 0; e < envCount && !hit; e++) {
        if ((env < 0 || e === env) && row.k[e] >= 0 && kinds[row.k[e]]) { hit = true; }
      }
      if (!hit || (object >= 0 && row.o !== object)) { return false; }
      return !query || row.t.toLowerCase().indexOf(query) >= 0
        || row.i.toLowerCase().indexOf(query) >= 0
        || (row.t + "." + row.i).toLowerCase().indexOf(query) >= 0;
    });
    if (sortColumn >= 0) {
      var n = sortColumn, dir = sortDir;
      var keyed = view.map(function (row, pos) { return [columnText(row, n), pos, row]; });
      keyed.sort(function (a, b) { return dir * collator.compare(a[0], b[0]) || a[1] - b[1]; });
      view = keyed.map(function (k) { return k[2]; });
    }
    advisoryItems.forEach(function (li) {
      li.hidden = env >= 0 && li.getAttribute("data-env") !== data.envs[env];
    });
    body.textContent = "";
    rendered = 0;
    renderMore();
    updateCount();  // also when nothing matches and no chunk was rendered
    fillViewport();
  }

  // Keep adding chunks while the end of the table is on screen.
  function fillViewport() {
    var guard = 0;
    while (rendered < view.length && more.getBoundingClientRect().top < window.innerHeight + 400
           && guard++ < 50) {
      renderMore();
    }
  }

  function sortBy(n) {
    if (sortColumn === n) { sortDir = -sortDir; } else { sortColumn = n; sortDir = 1; }
    headers.forEach(function (th, i) {
      th.setAttribute("aria-sort", i !== n ? "none" : sortDir > 0 ? "ascending" : "descending");
    });
    apply();
  }

  headers.forEach(function (th, n) {
    th.addEventListener("click", function () { sortBy(n); });
    th.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sortBy(n); }
    });
  });
  var timer = null;
  textInput.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  envSelect.addEventListener("change", apply);
  if (objectSelect) { objectSelect.addEventListener("change", apply); }
  kindBoxes.forEach(function (box) { box.addEventListener("change", apply); });

  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting) { renderMore(); fillViewport(); }
    }, { rootMargin: "400px" }).observe(more);
  } else {
    window.addEventListener("scroll", fillViewport, { passive: true });
  }
  apply();
}());
