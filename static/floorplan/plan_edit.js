// The plan page edits its items in place: a Save, a move, a removal, a restore or an added
// item is sent with fetch, and the parts of the page the server sends back (each with an
// id: the item, the list, the documents, the language notices, the safety check, the add
// form, the sign form) take the place of the same parts of the page. The page does not reload and does not jump: the part you
// worked on stays where it was on the screen, and focus stays on the same control.
// Without this script every form still posts and comes back to the item (#item-<id>).
(function () {
  "use strict";

  var live = document.getElementById("plan-live");
  var hideTimer = null;

  // The page's own words (translated in the template) for what the server cannot say.
  function text(name) {
    return (live && live.getAttribute("data-" + name)) || "";
  }

  // What an edit did: written beside the part it changed (slot) and read out; without a
  // part (no connection, a reload), shown for a moment at the foot of the screen.
  function say(message, problem, slot) {
    if (!live || !message) return;
    live.textContent = message;
    if (slot) {
      slot.textContent = message;
      slot.classList.toggle("plan-item-status-problem", !!problem);
      live.classList.remove("plan-live-shown");
      return;
    }
    live.classList.toggle("plan-live-problem", !!problem);
    live.classList.add("plan-live-shown");
    window.clearTimeout(hideTimer);
    if (!problem) {
      hideTimer = window.setTimeout(function () {
        live.classList.remove("plan-live-shown");
      }, 4000);
    }
  }

  // The disclosures open in a part, by class, to open again in its new version.
  function openDetails(root) {
    if (!root) return [];
    return Array.prototype.map.call(root.querySelectorAll("details[open]"), function (d) {
      return d.className;
    });
  }

  function reopen(root, names) {
    if (!root) return;
    names.forEach(function (name) {
      var details = root.querySelector('details[class="' + name + '"]');
      if (details) details.open = true;
    });
  }

  // A control whose value differs from the page's: an edit not saved yet.
  function changed(field) {
    if (field.type === "hidden" || !field.name) return false;
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      for (var j = 0; j < field.options.length; j++) {
        if (field.options[j].selected !== field.options[j].defaultSelected) return true;
      }
      return false;
    }
    return field.value !== field.defaultValue;
  }

  function unsaved(root) {
    return Array.prototype.some.call(root.querySelectorAll("input, textarea, select"), changed);
  }

  // A new list keeps the items with unsaved edits as they are on the page. The item that
  // sent the request (only a move answers with the whole list) takes its new version, with
  // what was typed in it and not saved yet carried over: a move saves nothing.
  function keepUnsaved(list, sender) {
    var items = list.querySelectorAll("[data-plan-item]");
    for (var i = 0; i < items.length; i++) {
      var old = document.getElementById(items[i].id);
      if (!old) continue;
      if (old.id === sender) carryTyped(old, items[i]);
      else if (unsaved(old)) items[i].replaceWith(old);
    }
  }

  // The add form and the sign form come back with every edit: what was typed in them and
  // not sent yet (the why of an item being added, the reason to sign despite the
  // warnings) goes into their new version, field by field, where the field is still there
  // (a sign form without warnings asks no reason). The form just sent comes back as the
  // server made it (emptied after an added item, as typed after a refusal).
  var TYPED_IN = ["plan-add", "plan-sign"];

  function carryTyped(old, part) {
    var fields = old.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (!changed(field)) continue;
      var twins = part.querySelectorAll('[name="' + CSS.escape(field.name) + '"]');
      for (var k = 0; k < twins.length; k++) {
        var twin = twins[k];
        if (twin.type === "checkbox" || twin.type === "radio") {
          if (twin.value === field.value) twin.checked = field.checked;
        } else if (twin.tagName === "SELECT") {
          var option = Array.prototype.find.call(twin.options, function (o) {
            return o.value === field.value;
          });
          // An entry no longer offered (just added to the plan) is not chosen again.
          if (option) twin.value = field.value;
        } else {
          twin.value = field.value;
        }
      }
    }
  }

  function swap(html, keepId, sentFrom) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var status = template.content.querySelector("[data-plan-status]");
    var parts = template.content.children;
    for (var i = parts.length - 1; i >= 0; i--) {
      var part = parts[i];
      if (!part.id) continue;
      var current = document.getElementById(part.id);
      if (!current) continue;
      if (part.id === "plan-items") keepUnsaved(part, keepId);
      if (TYPED_IN.indexOf(part.id) !== -1 && part.id !== sentFrom) carryTyped(current, part);
      current.replaceWith(part);
    }
    return status;
  }

  function focusAfter(itemId, focusName, anchorId, anchorTop, opened) {
    var anchor = anchorId && document.getElementById(anchorId);
    if (anchor) {
      // The part stays where it was on the screen, whatever changed above it.
      // At once: the page's smooth scrolling would show it as a jump.
      window.scrollBy({ top: anchor.getBoundingClientRect().top - anchorTop, behavior: "instant" });
    }
    var scope = (itemId && document.getElementById(itemId)) || anchor;
    if (!scope) return null;
    reopen(scope, opened);
    var target =
      scope.querySelector(".is-invalid") ||
      (focusName && scope.querySelector('[data-focus="' + focusName + '"]')) ||
      scope.querySelector("[data-focus]") ||
      scope;
    target.focus({ preventScroll: true });
    return scope.querySelector("[data-status-slot]");
  }

  // The page's requests go one at a time, in the order they were made: a request starts
  // only once the answer to the one before it is in place. So every answer is put in place
  // in the order the server handled the requests, and an older answer (a whole list) never
  // covers a newer one (a saved item). A request waiting its turn keeps its part busy and
  // its button disabled, in whatever version of the part is on the page.
  var queue = Promise.resolve();
  var waiting = [];
  var leaving = false;

  // The button of a request in the part now on the page (a new version of the part has a
  // new button).
  function buttonOf(job) {
    if (job.submitter && document.body.contains(job.submitter)) return job.submitter;
    var part = job.busyId && document.getElementById(job.busyId);
    if (!part || !job.focusName) return null;
    return part.querySelector('[data-focus="' + job.focusName + '"]');
  }

  function markBusy(job, on) {
    var part = job.busyId && document.getElementById(job.busyId);
    if (part) {
      if (on) part.setAttribute("aria-busy", "true");
      else part.removeAttribute("aria-busy");
    }
    var button = buttonOf(job);
    if (button) button.disabled = on;
  }

  // A request done: its part and button are given back, but for the requests still waiting
  // (the same part may be among them, and their parts may have come back new).
  function settle(job) {
    markBusy(job, false);
    waiting.forEach(function (other) {
      markBusy(other, true);
    });
  }

  // Not sent, or not taken: the part is given back as it is, with what was typed, and
  // focus goes back to the button (disabled, it had lost focus), unless it went elsewhere.
  function failed(job, message) {
    say(message, true);
    settle(job);
    var button = buttonOf(job);
    var focused = document.activeElement;
    if (button && (!focused || focused === document.body)) button.focus({ preventScroll: true });
  }

  async function send(job) {
    var anchor = job.anchorId && document.getElementById(job.anchorId);
    var anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    var opened = openDetails(job.busyId && document.getElementById(job.busyId));
    var response;
    var html;
    try {
      response = await fetch(job.action, {
        method: "POST",
        body: job.body,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.redirected) html = await response.text();
    } catch (error) {
      failed(job, text("offline"));
      return;
    }
    if (response.redirected) {
      // Signed out (or sent elsewhere): follow, as the plain form would have.
      leaving = true;
      window.location.assign(response.url);
      return;
    }
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("text/html") !== 0 || response.status !== 200) {
      failed(job, text("failed").replace("%s", response.status));
      return;
    }
    var status = swap(html, job.itemId, job.anchorId);
    var problem = status && status.hasAttribute("data-problem");
    if (status && status.hasAttribute("data-reload")) {
      leaving = true;
      say(status.textContent, true);
      window.setTimeout(function () {
        window.location.reload();
      }, 1500);
      return;
    }
    var slot = focusAfter(job.itemId, job.focusName, job.anchorId, anchorTop, opened);
    if (status) say(status.textContent, problem, slot);
    // A part that was not replaced keeps its button: give it back.
    settle(job);
  }

  function enqueue(form, submitter) {
    var item = form.closest("[data-plan-item]");
    var anchor = form.closest("[id]");
    var busy = item || anchor;
    var job = {
      action: form.action,
      // What the form held when its button was pressed, however late its turn comes.
      body: new FormData(form),
      itemId: item ? item.id : null,
      anchorId: anchor ? anchor.id : null,
      busyId: busy ? busy.id : null,
      submitter: submitter,
      focusName: submitter ? submitter.getAttribute("data-focus") : null,
    };
    waiting.push(job);
    markBusy(job, true);
    queue = queue.then(function () {
      waiting.splice(waiting.indexOf(job), 1);
      if (leaving) return;
      return send(job).catch(function () {
        failed(job, text("offline"));
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inplace")) return;
    if (!window.fetch || !window.FormData) return;
    event.preventDefault();
    enqueue(form, event.submitter || form.querySelector("[type=submit]"));
  });
})();
