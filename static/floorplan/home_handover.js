// The handover page (issue 11): Copy and Print buttons. Without JavaScript the link can
// still be selected in its read-only box and the page printed from the browser's menu.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      input.select();
      var done = function () { status.textContent = status.getAttribute("data-copied-message"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
