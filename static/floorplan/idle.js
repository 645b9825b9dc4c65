// The idle sign-out (clinic.idle): a warning shortly before, "Stay signed in", and on the
// intake form the draft saved on the server before the end, so nothing typed is lost.
// Nothing of the patient's is ever kept in the browser's storage.
(function () {
  "use strict";
  const dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const stayForm = dialog.querySelector("form");
  const endpoint = stayForm.action;
  const csrfToken = stayForm.querySelector("input[name='csrfmiddlewaretoken']").value;
  const draftNote = document.getElementById("idle-warning-draft");
  const draftForm = document.querySelector("form[data-idle-draft]");
  // Marks a request as the script's, not the person's: it does not keep them signed in.
  const BACKGROUND = "X-FloorPlan-Background";

  let warning = Number(dialog.dataset.warning);
  let deadline = 0; // Date.now() at which the server signs out
  const timers = [];
  let changedSinceSave = false;
  let returnFocus = null;

  function later(fn, ms) { timers.push(window.setTimeout(fn, Math.max(0, ms))); }
  function clearTimers() { while (timers.length) window.clearTimeout(timers.pop()); }

  // The server's word on the seconds left; null once it has signed the person out.
  function ask(method) {
    const headers = { Accept: "application/json" };
    if (method === "POST") headers["X-CSRFToken"] = csrfToken;
    else headers[BACKGROUND] = "1";
    return fetch(endpoint, { method: method, headers: headers, credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) return null;
        return response.json().then(function (body) {
          if (body.warning) warning = body.warning;
          return body.remaining;
        });
      });
  }

  function schedule(remaining) {
    clearTimers();
    deadline = Date.now() + remaining * 1000;
    later(checkBeforeWarning, (remaining - warning) * 1000);
  }

  // Activity in another tab keeps the sign-in too: ask before warning.
  function checkBeforeWarning() {
    ask("GET").then(function (remaining) {
      if (remaining === null || remaining <= 0) return leave();
      if (remaining > warning + 1) { hide(); return schedule(remaining); }
      warn(remaining);
    }, function () { later(checkBeforeWarning, 5000); });
  }

  function warn(remaining) {
    clearTimers();
    deadline = Date.now() + remaining * 1000;
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      dialog.querySelector("button").focus();
      saveDraft();
    }
    // The dialog holds the page still; a second try, just before the end, for a save
    // that did not go through.
    later(saveDraft, deadline - Date.now() - Math.min(10, warning / 4) * 1000);
    later(checkAtEnd, deadline - Date.now() + 500);
  }

  function checkAtEnd() {
    ask("GET").then(function (remaining) {
      if (remaining === null || remaining <= 0) return leave();
      if (remaining > warning + 1) { hide(); return schedule(remaining); }
      warn(remaining);
    }, function () { later(checkAtEnd, 5000); });
  }

  function hide() {
    if (!dialog.open) return;
    dialog.close();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  function stay() {
    ask("POST").then(function (remaining) {
      if (remaining === null || remaining <= 0) return leave();
      hide();
      draftNote.textContent = "";
      schedule(remaining);
    }, function () { later(stay, 2000); });
  }

  // The server has signed out: to the sign-in page, which brings the person back here.
  function leave() {
    clearTimers();
    window.dispatchEvent(new CustomEvent("floorplan:idle-sign-out"));
    // Back to the draft's own page (a failed "Complete" shows the form at another address).
    const next = draftForm ? new URL(draftForm.dataset.idleDraft, window.location.href).pathname
      : window.location.pathname + window.location.search;
    window.location.assign(dialog.dataset.loginUrl + "?next=" + encodeURIComponent(next));
  }

  // The form's own "Save draft" (to the draft's page), sent in the background (with the marker: saving is not
  // the person being there). Its answer is the saved page, whose version the next save
  // must build on.
  function saveDraft() {
    if (!draftForm || !changedSinceSave) return;
    changedSinceSave = false;
    const target = new URL(draftForm.dataset.idleDraft, window.location.href);
    fetch(target, { method: "POST", body: new FormData(draftForm), headers: { [BACKGROUND]: "1" }, credentials: "same-origin" })
      .then(function (response) {
        const back = new URL(response.url);
        // An invalid or clashing draft comes back as the form again, unsaved.
        if (!response.ok || !response.redirected || back.pathname !== target.pathname) throw new Error("not saved");
        return response.text();
      })
      .then(function (html) {
        const saved = new DOMParser().parseFromString(html, "text/html").getElementById(draftForm.id);
        draftForm.querySelectorAll("input[type='hidden']").forEach(function (input) {
          const fresh = saved && saved.querySelector("input[type='hidden'][name='" + input.name + "']");
          if (fresh) input.value = fresh.value;
        });
        draftForm.dispatchEvent(new CustomEvent("floorplan:draft-saved"));
        draftNote.textContent = draftNote.dataset.saved;
      })
      .catch(function () {
        changedSinceSave = true;
        draftNote.textContent = draftNote.dataset.failed;
      });
  }

  if (draftForm) {
    draftForm.addEventListener("input", function () { changedSinceSave = true; });
    draftForm.addEventListener("change", function () { changedSinceSave = true; });
    draftForm.addEventListener("submit", function () { changedSinceSave = false; });
  }
  stayForm.addEventListener("submit", function (event) { event.preventDefault(); stay(); });
  // Escape is someone at the keyboard: the same as "Stay signed in".
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); stay(); });
  schedule(Number(dialog.dataset.remaining));
})();
