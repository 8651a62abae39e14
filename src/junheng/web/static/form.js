// Editable tables drawn from the template's columns — a school's form (its record and
// its teachers, classes, rooms) or the county's kindergarten part — checked by the
// server as the user types (the same messages as `junheng validate`), saved (and, for
// a school, submitted) through the JSON API. Plain JavaScript, no framework, no CDN.
// The page says which: {api, tables, record (the one-record table or null), explain
// (warnings take a 说明), view, schema}.
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("page-data").textContent);
  var schema = page.schema, view = page.view;
  var editable = view.can_edit;
  var data = JSON.parse(JSON.stringify(view.data || {}));
  var explanations = Object.assign({}, view.explanations || {});
  var revision = view.revision;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var api = page.api, RECORD = page.record, TABLES = page.tables;
  TABLES.forEach(function (t) { if (!Array.isArray(data[t])) { data[t] = []; } });
  if (RECORD && (!data[RECORD] || typeof data[RECORD] !== "object")) { data[RECORD] = {}; }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { e.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function input(table, index, f, value) {
    var attrs = { "data-table": table, "data-index": index, "data-field": f.key,
                  "aria-label": f.header, title: f.note || "" };
    var box;
    if (f.options) {
      box = el("select", attrs);
      box.appendChild(el("option", { value: "" }, ""));
      f.options.forEach(function (o) {
        var opt = el("option", { value: o }, o);
        if (String(value) === o) { opt.selected = true; }
        box.appendChild(opt);
      });
      if (value !== null && value !== undefined && value !== "" && f.options.indexOf(String(value)) < 0) {
        var odd = el("option", { value: String(value) }, String(value));
        odd.selected = true;
        box.appendChild(odd);
      }
    } else {
      attrs.value = value === null || value === undefined ? "" : String(value);
      attrs.inputmode = f.type === "int" || f.type === "number" ? "decimal" : null;
      box = el("input", attrs);
    }
    if (!editable || f.readonly) { box.disabled = true; }
    return box;
  }

  function drawRecord() {
    if (!RECORD) { return; }
    var holder = document.getElementById("record-fields");
    holder.textContent = "";
    schema[RECORD].fields.forEach(function (f) {
      var label = el("label", {}, f.header + (f.required ? " *" : ""));
      label.appendChild(input(RECORD, 0, f, data[RECORD][f.key]));
      holder.appendChild(label);
    });
  }

  function drawTable(t) {
    var table = document.getElementById("table-" + t);
    table.textContent = "";
    var head = el("thead"), tr = el("tr");
    tr.appendChild(el("th", {}, "行"));
    schema[t].fields.forEach(function (f) { tr.appendChild(el("th", { title: f.note || "" }, f.header + (f.required ? " *" : ""))); });
    if (editable) { tr.appendChild(el("th", {}, "")); }
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody");
    data[t].forEach(function (row, i) {
      var r = el("tr");
      r.appendChild(el("td", { "class": "rowno" }, String(i + 2)));  // the sheet row of this record
      schema[t].fields.forEach(function (f) {
        var td = el("td");
        td.appendChild(input(t, i, f, row[f.key]));
        r.appendChild(td);
      });
      if (editable) {
        var td = el("td"), del = el("button", { type: "button", "class": "del-row", "data-table": t, "data-index": i }, "删除");
        td.appendChild(del);
        r.appendChild(td);
      }
      body.appendChild(r);
    });
    table.appendChild(body);
    document.getElementById("count-" + t).textContent = "共 " + data[t].length + " 行";
  }

  function drawAll() { drawRecord(); TABLES.forEach(drawTable); }

  function read(e) {
    var t = e.getAttribute("data-table"), i = +e.getAttribute("data-index"), k = e.getAttribute("data-field");
    var v = e.value === "" ? null : e.value;
    if (t === RECORD) { data[RECORD][k] = v; } else { data[t][i][k] = v; }
  }

  // Each field's own messages are written next to it (and listed in the summary): on a
  // 6,000 px form the clerk reads what is wrong where it is wrong, on a phone too.
  function noteBeside(box, it) {
    var holder = box.parentNode;
    var note = holder.querySelector(".field-error");
    if (!note) {
      note = el("span", { "class": "field-error", id: "fe-" + box.getAttribute("data-table") + "-" +
                          box.getAttribute("data-index") + "-" + box.getAttribute("data-field"),
                          role: "alert" });
      holder.appendChild(note);
      box.setAttribute("aria-describedby", note.id);
    }
    if (it.severity === "error") { note.classList.add("error"); box.setAttribute("aria-invalid", "true"); }
    var line = el("span", { "class": "line " + it.severity, "data-code": it.code }, it.message);
    note.appendChild(line);
  }

  function showIssues(issues) {
    document.querySelectorAll(".has-error, .has-warning").forEach(function (e) {
      e.classList.remove("has-error", "has-warning");
    });
    document.querySelectorAll(".field-error").forEach(function (e) { e.parentNode.removeChild(e); });
    document.querySelectorAll("[aria-invalid]").forEach(function (e) {
      e.removeAttribute("aria-invalid");
      e.removeAttribute("aria-describedby");
    });
    var list = document.getElementById("issues");
    list.textContent = "";
    var errors = 0, warnings = 0;
    issues.forEach(function (it) {
      if (it.severity === "error") { errors++; } else { warnings++; }
      var li = el("li", { "class": it.severity, "data-code": it.code }, (it.severity === "error" ? "错误：" : "警告：") + it.message);
      if (it.severity === "warning" && page.explain) {
        var box = el("div", { "class": "explain" });
        var area = el("textarea", { "data-key": it.key, placeholder: "请填写说明（提交时必填）", maxlength: 1000,
                                     "aria-label": "说明" });
        area.value = explanations[it.key] || "";
        area.disabled = !editable;
        box.appendChild(area);
        li.appendChild(box);
      }
      list.appendChild(li);
      if (it.field !== null && it.field !== undefined && it.index !== null && it.index !== undefined) {
        var sel = '[data-table="' + it.table + '"][data-index="' + it.index + '"][data-field="' + it.field + '"]';
        var box2 = document.querySelector(sel);
        if (box2) {
          box2.classList.add(it.severity === "error" ? "has-error" : "has-warning");
          box2.title = it.message;
          noteBeside(box2, it);
          li.appendChild(el("a", { href: "#", "class": "go-to", "data-target": sel }, "转到该处"));
        }
      }
    });
    document.getElementById("issues-summary").textContent = issues.length === 0
      ? "没有发现问题。" : ("错误 " + errors + " 处，警告 " + warnings + " 条。");
  }

  // A long form (6,000–8,000 px) keeps its feedback in sight: the message shows at the
  // top and next to the buttons.
  var near = null;
  var actions = document.querySelector("#save, #submit");
  if (actions && actions.parentNode) {
    near = el("div", { id: "message-near", role: "status" });
    near.hidden = true;
    actions.parentNode.parentNode.insertBefore(near, actions.parentNode.nextSibling);
  }
  function say(text, kind) {
    [document.getElementById("message"), near].forEach(function (m) {
      if (!m) { return; }
      m.hidden = false;
      m.className = "flash " + (kind || "ok");
      m.textContent = text;
    });
  }

  // After a refused submit: the first cell with an error (or the first warning still
  // without its 说明) is scrolled to and focused; the typed values stay as they are.
  function focusFirstProblem() {
    var target = document.querySelector("[data-field].has-error");
    if (!target) {
      var areas = document.querySelectorAll("textarea[data-key]");
      for (var i = 0; i < areas.length && !target; i++) { if (!areas[i].value.trim()) { target = areas[i]; } }
    }
    if (!target) { target = document.querySelector("#issues li.error"); }
    if (target) {
      target.scrollIntoView({ block: "center" });
      if (target.focus) { target.focus({ preventScroll: true }); }
    }
  }

  function call(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { var err = new Error((j.error && j.error.message) || ("请求失败（" + r.status + "）")); err.body = j; throw err; }
        return j;
      });
    });
  }

  var timer = null, seq = 0;
  function scheduleCheck() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      var mine = ++seq;
      call("POST", api + "/validate", { data: data }).then(function (j) {
        if (mine === seq) { showIssues(j.issues); }
      }).catch(function (e) { say(e.message, "bad"); });
    }, 400);
  }

  // Saves run one after another (each carries the revision the last one returned).
  var pending = Promise.resolve(), dirty = false, autoTimer = null;
  function save() {
    pending = pending.catch(function () {}).then(function () {
      dirty = false;
      var body = page.explain ? { data: data, explanations: explanations, revision: revision }
                              : { data: data, revision: revision };
      return call("PUT", api, body).then(function (j) {
        revision = j.revision;
        showIssues(j.issues);
        return j;
      }).catch(function (e) { dirty = true; throw e; });
    });
    return pending;
  }

  // Drafts save themselves a few seconds after the last keystroke (and when the page is
  // left), so a closed tab or a lost connection loses little.
  function scheduleAutosave() {
    if (!editable || !document.getElementById("save")) { return; }
    dirty = true;
    if (autoTimer) { clearTimeout(autoTimer); }
    autoTimer = setTimeout(function () {
      save().then(function () {
        var now = new Date();
        say("已自动保存草稿（" + ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2) + "）。", "ok");
      }).catch(function (e) { say("自动保存失败：" + e.message + "（您填写的内容仍在页面上）", "bad"); });
    }, 3000);
  }
  window.addEventListener("beforeunload", function (ev) {
    if (dirty) { ev.preventDefault(); ev.returnValue = ""; }
  });

  document.addEventListener("input", function (ev) {
    var t = ev.target;
    if (t.matches("[data-field]")) { read(t); scheduleCheck(); scheduleAutosave(); }
    if (t.matches("textarea[data-key]")) { explanations[t.getAttribute("data-key")] = t.value; scheduleAutosave(); }
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("select[data-field]")) { read(ev.target); scheduleCheck(); scheduleAutosave(); }
  });
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.matches(".add-row")) {
      data[t.getAttribute("data-table")].push({});
      drawTable(t.getAttribute("data-table"));
      scheduleCheck();
    } else if (t.matches(".go-to")) {  // from the summary to the field
      ev.preventDefault();
      var box = document.querySelector(t.getAttribute("data-target"));
      if (box) { box.scrollIntoView({ block: "center" }); box.focus({ preventScroll: true }); }
    } else if (t.matches(".del-row")) {
      data[t.getAttribute("data-table")].splice(+t.getAttribute("data-index"), 1);
      drawTable(t.getAttribute("data-table"));
      scheduleCheck();
    }
  });
  var saveBtn = document.getElementById("save");
  if (saveBtn) {
    saveBtn.addEventListener("click", function () {
      if (autoTimer) { clearTimeout(autoTimer); }
      save().then(function () { say(page.explain ? "已保存草稿。" : "已保存。"); })
        .catch(function (e) { say(e.message, "bad"); });
    });
  }
  var submitBtn = document.getElementById("submit");
  if (submitBtn) {
    submitBtn.addEventListener("click", function () {
      if (autoTimer) { clearTimeout(autoTimer); }
      submitBtn.disabled = true;
      save().then(function () { return call("POST", api + "/submit"); }).then(function () {
        window.location.reload();
      }).catch(function (e) {
        submitBtn.disabled = false;
        if (e.body && e.body.error && e.body.error.details && e.body.error.details.length) {
          showIssues(e.body.error.details.concat([]));
        }
        say(e.message, "bad");
        focusFirstProblem();
      });
    });
  }

  drawAll();
  showIssues(view.issues || []);
})();
