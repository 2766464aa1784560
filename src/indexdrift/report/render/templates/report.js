// indexdrift report: filters, sorting, drill-down and a selection script over the rows the
// page already holds (the HTML has every row, so it reads without this script).
// No network, no libraries: the drill-down texts are the JSON in #report-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var T = data.text;
  var CHUNK = 500;
  var body = document.getElementById("rows");

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // Copy buttons work without a matrix (statements only need them).
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      copyText(document.getElementById(button.getAttribute("data-copy")).textContent, button);
    });
  });

  function copyText(text, button) {
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
  var table = document.getElementById("drift");
  var controls = document.getElementById("filters");
  var envCount = data.envs.length;
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var more = document.getElementById("more");
  var envSelect = document.getElementById("f-env");
  // The object column and filter exist when the findings are of several object kinds.
  var objectSelect = document.getElementById("f-object");
  var lead = data.objects ? 1 : 0;
  var textInput = document.getElementById("f-text");
  var copySelected = document.getElementById("copy-selected");
  var selectedOut = document.getElementById("selected");
  var selEnv = document.getElementById("sel-env");
  var selDir = document.getElementById("sel-dir");
  // Advisories are per env too: the env filter narrows them (they have no kind or text filter).
  var advisoryItems = Array.prototype.slice.call(document.querySelectorAll("#advisories li[data-env]"));
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));
  var headers = Array.prototype.slice.call(document.querySelectorAll("#drift thead th[data-col]"));
  var collator = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });
  var columnCount = headers.length + 1;  // with the selection column
  // Rows take the keyboard focus only once the script runs (Tab: the first row, then on).
  if (body.rows.length) { body.rows[0].tabIndex = 0; }

  // The header stays under the (sticky) filters while scrolling: its offset is their height.
  function keepHeaderBelowControls() {
    document.documentElement.style.setProperty("--controls-h", controls.offsetHeight + "px");
  }
  if ("ResizeObserver" in window) { new ResizeObserver(keepHeaderBelowControls).observe(controls); }
  keepHeaderBelowControls();

  // Every row starts with its selection cell (the template writes them; drawn as a box).
  var rows = Array.prototype.map.call(body.rows, function (tr, pos) {
    var row = {
      tr: tr, pos: pos, selected: false, detail: null, text: null,
      k: tr.getAttribute("data-k").split(",").map(Number),
      o: tr.hasAttribute("data-o") ? parseInt(tr.getAttribute("data-o"), 10) : -1,
      table: tr.cells[2 + lead].textContent
    };
    tr._row = row;
    return row;
  });
  body.classList.add("selectable");

  var view = rows.slice();  // the filtered, sorted rows
  var rendered = rows.length;  // how many of them are in the table (all, as the page came)
  var sortColumn = -1, sortDir = 1;

  // A cell as text: what the env has (an inserted part without its markers, no deleted part).
  function cellText(td) {
    var out = "";
    td.childNodes.forEach(function (node) {
      if (node.nodeType === 3) { out += node.nodeValue; return; }
      if (node.nodeName === "DEL") { return; }
      if (node.nodeName === "INS") {
        node.childNodes.forEach(function (part) { if (part.nodeType === 3) { out += part.nodeValue; } });
        return;
      }
      out += node.textContent;
    });
    return out;
  }

  function searchText(row) {
    if (row.text === null) { row.text = row.tr.textContent.toLowerCase(); }
    return row.text;
  }

  function removeDetails() {
    rows.forEach(function (row) {
      if (row.detail) { row.detail.remove(); row.detail = null; row.tr.classList.remove("open"); }
    });
  }

  function renderMore() {
    var end = Math.min(rendered + CHUNK, view.length);
    if (end <= rendered) { return; }
    var fragment = document.createDocumentFragment();
    for (var i = rendered; i < end; i++) { fragment.appendChild(view[i].tr); }
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

  function filterState() {
    var kinds = {};
    kindBoxes.forEach(function (box) { if (box.checked) { kinds[box.value] = true; } });
    return {
      env: envSelect.value === "" ? -1 : parseInt(envSelect.value, 10),
      object: !objectSelect || objectSelect.value === "" ? -1 : parseInt(objectSelect.value, 10),
      kinds: kinds,
      query: textInput.value.trim().toLowerCase()
    };
  }

  function apply() {
    var state = filterState();
    view = rows.filter(function (row) {
      var hit = false;
      for (var e = 0; e < envCount && !hit; e++) {
        if ((state.env < 0 || e === state.env) && row.k[e] >= 0 && state.kinds[row.k[e]]) { hit = true; }
      }
      if (!hit || (state.object >= 0 && row.o !== state.object)) { return false; }
      // Names, tables and every definition cell: a column name finds its indexes' rows.
      return !state.query || searchText(row).indexOf(state.query) >= 0;
    });
    if (sortColumn >= 0) {
      var cell = sortColumn + 1, dir = sortDir;
      var keyed = view.map(function (row) { return [cellText(row.tr.cells[cell]), row.pos, row]; });
      keyed.sort(function (a, b) { return dir * collator.compare(a[0], b[0]) || a[1] - b[1]; });
      view = keyed.map(function (k) { return k[2]; });
    }
    advisoryItems.forEach(function (li) {
      li.hidden = state.env >= 0 && li.getAttribute("data-env") !== data.envs[state.env];
    });
    removeDetails();
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

  // --- the filter state in the address (#env=dev&kinds=missing,changed&q=tenant_id) ---------
  function writeHash() {
    var state = filterState(), parts = [];
    if (state.env >= 0) { parts.push("env=" + encodeURIComponent(data.envs[state.env])); }
    if (state.object >= 0) { parts.push("object=" + state.object); }
    if (kindBoxes.some(function (box) { return !box.checked; })) {
      parts.push("kinds=" + kindBoxes.filter(function (box) { return box.checked; })
        .map(function (box) { return data.kinds[box.value]; }).join(","));
    }
    if (textInput.value.trim()) { parts.push("q=" + encodeURIComponent(textInput.value.trim())); }
    if (sortColumn >= 0) { parts.push("sort=" + sortColumn + (sortDir < 0 ? "-" : "")); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash === location.hash || (!hash && !location.hash)) { return; }
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (e) {
      location.hash = hash;
    }
  }

  // Reads the address into the controls; true when it asks for anything but the default.
  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) {
        try { params[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1)); } catch (e) { /* ignored */ }
      }
    });
    var env = data.envs.indexOf(params.env);
    envSelect.value = env >= 0 ? String(env) : "";
    if (objectSelect) {
      var known = Array.prototype.some.call(objectSelect.options, function (o) { return o.value === params.object; });
      objectSelect.value = known ? params.object : "";
    }
    var kinds = params.kinds === undefined ? null : params.kinds.split(",");
    kindBoxes.forEach(function (box) {
      box.checked = kinds === null || kinds.indexOf(data.kinds[box.value]) >= 0;
    });
    textInput.value = params.q || "";
    var sort = /^(\d+)(-?)$/.exec(params.sort || "");
    if (sort && parseInt(sort[1], 10) < headers.length) {
      sortColumn = parseInt(sort[1], 10);
      sortDir = sort[2] ? -1 : 1;
    } else {
      sortColumn = -1;
      sortDir = 1;
    }
    markSorted();
    return Object.keys(params).length > 0;
  }

  function markSorted() {
    headers.forEach(function (th, i) {
      th.setAttribute("aria-sort", i !== sortColumn ? "none" : sortDir > 0 ? "ascending" : "descending");
    });
  }

  function changed() { writeHash(); apply(); }

  function sortBy(n) {
    if (sortColumn === n) { sortDir = -sortDir; } else { sortColumn = n; sortDir = 1; }
    markSorted();
    changed();
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
    timer = setTimeout(changed, 120);
  });
  envSelect.addEventListener("change", changed);
  if (objectSelect) { objectSelect.addEventListener("change", changed); }
  kindBoxes.forEach(function (box) { box.addEventListener("change", changed); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });

  // --- drill-down: the row's table in every env, and its statements -------------------------
  function lines(numbers) { return numbers.map(function (n) { return data.lines[n]; }); }

  function definitionPanel(env, own, base, isBase, others) {
    var box = el("div", "def-env");
    var head = el("h5", null, env);
    if (isBase) { head.appendChild(document.createTextNode(" ")); head.appendChild(el("span", "badge", T.baseline)); }
    box.appendChild(head);
    var pre = el("pre", "tabledef");
    own.forEach(function (line) {
      // Lines only this env has are marked like inserted text; baseline lines some env
      // lacks, like deleted text (with the same markers, so a copy keeps the difference).
      var span;
      if (!isBase && base.indexOf(line) < 0) {
        span = el("ins", null, "{+" + line + "+}");
      } else if (isBase && others.some(function (o) { return o.indexOf(line) < 0; })) {
        span = el("del", null, "[-" + line + "-]");
      } else {
        span = el("span", null, line);
      }
      pre.appendChild(span);
      pre.appendChild(document.createTextNode("\n"));
    });
    box.appendChild(pre);
    return box;
  }

  function chunkOf(env, direction, name) {
    var sql = data.sql[env];
    if (!sql) { return null; }
    for (var i = 0; i < sql[direction].length; i++) {
      if (sql[direction][i][0] === name) { return sql[direction][i]; }
    }
    return null;
  }

  function scriptBox(title, text) {
    var box = el("div", "script");
    var head = el("div", "script-head");
    head.appendChild(el("h6", null, title));
    var button = el("button", "copy", T.copy);
    button.type = "button";
    var pre = el("pre", "sql", text);
    button.addEventListener("click", function () { copyText(pre.textContent, button); });
    head.appendChild(button);
    box.appendChild(head);
    box.appendChild(pre);
    return box;
  }

  function detailFor(row) {
    var envs = [data.baseline].concat(data.envs);
    var defs = data.tables[row.table].map(lines);
    var tr = el("tr", "detail");
    var td = el("td");
    td.colSpan = columnCount;
    var box = el("div", "detail-box");
    var head = el("div", "detail-head");
    head.appendChild(el("h4", null, format(T["detail.title"], { table: row.table })));
    var close = el("button", "close", T["detail.close"]);
    close.type = "button";
    close.addEventListener("click", function () { toggleDetail(row); });
    head.appendChild(close);
    box.appendChild(head);
    var grid = el("div", "defs");
    envs.forEach(function (env, i) {
      grid.appendChild(definitionPanel(env, defs[i], defs[0], i === 0, defs.slice(1)));
    });
    box.appendChild(grid);
    data.envs.forEach(function (env, e) {
      if (!data.sql[env] || row.k[e] < 0) { return; }
      box.appendChild(el("h5", null, format(T["detail.statements"], { table: row.table, env: env })));
      var up = chunkOf(env, "up", row.table), down = chunkOf(env, "down", row.table);
      if (!up && !down) {
        box.appendChild(el("p", "meta", format(T["detail.no_statements"], { env: env })));
        return;
      }
      box.appendChild(el("p", "meta", T["detail.whole_table"]));
      var pair = el("div", "pair");
      pair.appendChild(scriptBox(T["statements.migration"], up ? up[1] : ""));
      pair.appendChild(scriptBox(T["statements.rollback"], down ? down[1] : ""));
      box.appendChild(pair);
    });
    td.appendChild(box);
    tr.appendChild(td);
    return tr;
  }

  function toggleDetail(row) {
    if (row.detail) {
      row.detail.remove();
      row.detail = null;
      row.tr.classList.remove("open");
      return;
    }
    row.detail = detailFor(row);
    row.tr.parentNode.insertBefore(row.detail, row.tr.nextSibling);
    row.tr.classList.add("open");
  }

  body.addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr");
    if (!tr || !tr._row || ev.target.closest("input, button, a")) { return; }
    if (ev.target.closest("td.sel")) { toggleSelected(tr._row); return; }
    if (window.getSelection && String(window.getSelection()).length) { return; }  // selecting text
    toggleDetail(tr._row);
  });
  // Keyboard: Tab reaches the first row, the arrows move between rows; Enter opens the
  // drill-down, Space selects.
  body.addEventListener("keydown", function (ev) {
    var row = ev.target._row;
    if (!row) { return; }
    if (ev.key === "Enter") { ev.preventDefault(); toggleDetail(row); }
    if (ev.key === " ") { ev.preventDefault(); toggleSelected(row); }
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      var next = ev.key === "ArrowDown" ? row.tr.nextElementSibling : row.tr.previousElementSibling;
      while (next && !next._row) {
        next = ev.key === "ArrowDown" ? next.nextElementSibling : next.previousElementSibling;
      }
      if (next) { ev.preventDefault(); next.tabIndex = 0; next.focus(); }
    }
  });

  // --- selected rows as one script, for one env and direction ------------------------------
  var selectionBox = el("div", "selection");
  selectionBox.id = "selection";
  selectionBox.hidden = true;
  var selectionPre = el("pre", "sql");
  selectionPre.id = "selection-sql";
  selectionBox.appendChild(selectionPre);
  controls.parentNode.insertBefore(selectionBox, controls.nextSibling);

  function selectionScript() {
    var env = selEnv ? selEnv.value : "";
    var direction = selDir ? selDir.value : "up";
    var sql = data.sql[env];
    var tables = {};
    rows.forEach(function (row) { if (row.selected) { tables[row.table] = true; } });
    var title = direction === "up" ? T["statements.migration"] : T["statements.rollback"];
    var out = ["-- " + format(T["select.header"], { env: env, direction: title })];
    var body = [];
    if (sql) {
      sql[direction].forEach(function (chunk) {
        if (!tables[chunk[0]]) { return; }
        if (chunk[2]) { out.push("-- " + format(T["select.framed"], { table: chunk[0], env: env })); return; }
        body.push(chunk[1]);
      });
      if (sql.staged) { out.push("-- " + format(T["select.staged"], { env: env })); }
    }
    if (!body.length) {
      out.push("-- " + format(T["select.none"], { env: env }));
    } else if (sql.wrap) {
      body.unshift("BEGIN;");
      body.push("COMMIT;");
    }
    return out.join("\n") + "\n\n" + body.join("\n\n") + "\n";
  }

  function toggleSelected(row) {
    row.selected = !row.selected;
    row.tr.classList.toggle("selected", row.selected);
    row.tr.cells[0].setAttribute("aria-checked", String(row.selected));
    updateSelection();
  }

  function updateSelection() {
    var count = rows.filter(function (row) { return row.selected; }).length;
    selectedOut.textContent = count ? format(T["select.count"], { count: count }) : "";
    if (copySelected) { copySelected.disabled = count === 0; }
    selectionBox.hidden = count === 0 || !selEnv;
    if (count && selEnv) { selectionPre.textContent = selectionScript(); }
  }

  if (selEnv) { selEnv.addEventListener("change", updateSelection); }
  if (selDir) { selDir.addEventListener("change", updateSelection); }
  if (copySelected) {
    copySelected.addEventListener("click", function () { copyText(selectionScript(), copySelected); });
  }

  // Printing shows every row of the current view, not only the chunks rendered so far.
  window.addEventListener("beforeprint", function () {
    while (rendered < view.length) { renderMore(); }
  });

  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting) { renderMore(); fillViewport(); }
    }, { rootMargin: "400px" }).observe(more);
  } else {
    window.addEventListener("scroll", fillViewport, { passive: true });
  }
  if (readHash()) {
    apply();
  } else {
    updateCount();
  }
}());
