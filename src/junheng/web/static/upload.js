// Every file upload form: a file over the server's limit is refused here, in the page,
// with the server's own sentence (「文件超过 20 MB 上限」), before it is sent.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="upload-limit-mb"]');
  if (!meta) return;
  var limitMb = parseFloat(meta.content);
  if (!(limitMb > 0)) return;
  function note(form, text) {
    var box = form.querySelector(".upload-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "flash bad upload-error";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = text;
    box.scrollIntoView({block: "center"});
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      var files = inputs[i].files || [];
      for (var j = 0; j < files.length; j++) {
        if (files[j].size > limitMb * 1048576) {
          event.preventDefault();
          note(form, "文件超过 " + limitMb + " MB 上限（" + files[j].name + "：" +
               (files[j].size / 1048576).toFixed(1) + " MB），未上传。请压缩或拆分后再上传。");
          inputs[i].focus();
          return;
        }
      }
    }
  }, true);
})();
