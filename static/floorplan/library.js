// The library entry form: what patients read follows what the author types (a debounced
// POST to the clinic's preview endpoint; nothing is saved). Without JavaScript the
// "Preview" button does the same with a full page.
(function () {
  "use strict";
  const form = document.querySelector("form[data-preview-url]");
  if (!form || !window.fetch || !window.FormData) return;
  const panel = document.getElementById("library-preview");
  const code = document.getElementById("library-code");
  const token = form.querySelector("input[name='csrfmiddlewaretoken']").value;
  const WAIT_MS = 350;
  let timer = null;
  let controller = null;

  function show(data) {
    panel.innerHTML = data.html;
    Object.keys(data.notes).forEach(function (name) {
      const note = form.querySelector("[data-readers-for='" + name + "']");
      if (note) note.textContent = data.notes[name];
    });
    if (code) code.textContent = data.code || "—";
  }

  function refresh() {
    if (controller) controller.abort();
    controller = new AbortController();
    const body = new FormData(form);
    body.delete("preview");
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(show)
      .catch(function () {
        // Kept as it was: the Preview button still works.
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, WAIT_MS);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
