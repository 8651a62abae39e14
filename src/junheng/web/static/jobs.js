// A job's page while the job runs: its progress from /api/jobs/{id} once a second; when
// it ends the page reloads and the server shows the download, the outcome or the
// failure. (Without script the page refreshes itself every 3 seconds.)
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var id = box.getAttribute("data-job");
  var bar = document.getElementById("job-progress"), stage = document.getElementById("job-stage");
  var status = document.getElementById("job-status"), percent = document.getElementById("job-percent");
  var title = document.title;
  function poll() {
    fetch("/api/jobs/" + id, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) {
        if (!x.ok) { stage.textContent = (x.j.error && x.j.error.message) || "无法读取任务进度"; return; }
        var j = x.j;
        if (j.status === "done" || j.status === "failed") {
          document.title = (j.status === "done" ? "✓ 已完成 " : "✗ 未完成 ") + title;
          window.location.reload();
          return;
        }
        bar.value = j.progress;
        bar.textContent = j.progress + "%";
        percent.textContent = j.progress + "%";
        status.textContent = j.status_zh;
        stage.textContent = j.stage;
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 700);
})();
