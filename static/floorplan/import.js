// The patient import: a real progress bar while the file uploads, then a spinner while the
// server checks every row (it cannot report progress of its own: one request does it all).
// Without JavaScript the form posts as usual.
(function () {
  "use strict";

  const confirmForm = document.getElementById("import-confirm");
  if (confirmForm) {
    confirmForm.addEventListener("submit", function () {
      // One import per click: a second one would be refused, but only after a wait.
      confirmForm.querySelector("button[type='submit']").disabled = true;
      document.getElementById("import-saving").hidden = false;
    });
  }

  const form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const input = form.querySelector("input[type='file']");
  const button = form.querySelector("button[type='submit']");
  const errors = document.getElementById("import-errors");
  const progress = document.getElementById("import-progress");
  const track = progress.querySelector(".progress");
  const bar = progress.querySelector(".progress-bar");
  const checking = document.getElementById("import-checking");

  function showErrors(messages) {
    errors.replaceChildren();
    const list = document.createElement("ul");
    list.className = "mb-0";
    messages.forEach(function (message) {
      const item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    });
    errors.appendChild(list);
    errors.hidden = false;
    errors.focus();
  }

  function setProgress(fraction) {
    const percent = Math.round(fraction * 100);
    bar.style.width = percent + "%"; // CSSOM, which the Content-Security-Policy allows
    bar.textContent = percent + "%";
    track.setAttribute("aria-valuenow", String(percent));
  }

  function reset() {
    button.disabled = false;
    progress.hidden = true;
    checking.hidden = true;
  }

  errors.tabIndex = -1;
  form.addEventListener("submit", function (event) {
    const file = input.files && input.files[0];
    if (!file) return; // the server says the file is missing, in the page's language
    event.preventDefault();
    if (file.size > Number(form.dataset.maxBytes)) {
      showErrors([form.dataset.tooLarge]);
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    });
    request.upload.addEventListener("load", function () {
      setProgress(1);
      checking.hidden = false;
    });
    request.addEventListener("load", function () {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch (ignored) {
        body = null;
      }
      if (request.status === 200 && body && body.location) {
        // The check runs as the preview page loads; the spinner turns until it shows.
        checking.hidden = false;
        window.location.assign(body.location);
        return;
      }
      reset();
      showErrors(body && body.errors && body.errors.length ? body.errors : [form.dataset.failed]);
    });
    request.addEventListener("error", function () {
      reset();
      showErrors([form.dataset.failed]);
    });
    errors.hidden = true;
    button.disabled = true;
    checking.hidden = true;
    progress.hidden = false;
    setProgress(0);
    request.send(new FormData(form));
  });
})();
