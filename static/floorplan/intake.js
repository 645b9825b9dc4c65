// The intake's pages: show a red flag at once, switch dependent fields with their parent,
// save before leaving for another step, and never lose input. Everything here improves
// pages that work without it.
(function () {
  "use strict";

  // --- Every step page: the step strip and the save bar ---------------------------------
  const strip = document.querySelector(".intake-steps-list");
  const currentStep = strip && strip.querySelector("[aria-current='step']");
  if (strip && currentStep && strip.scrollWidth > strip.clientWidth) {
    // On a narrow screen the strip scrolls: bring the current step into view.
    strip.scrollLeft = currentStep.parentElement.offsetLeft - 8;
  }
  const bar = document.querySelector(".intake-savebar");
  const spacer = document.querySelector(".intake-savebar-spacer");
  function fitSpacer() {
    if (bar && spacer) spacer.style.height = bar.offsetHeight + 16 + "px";
  }
  fitSpacer();
  window.addEventListener("resize", fitSpacer);

  // A form whose unsaved input is saved before going to another step ("goto").
  const form = document.querySelector("form[data-step-form]");
  if (!form) return;
  let dirty = form.querySelector(".is-invalid") !== null || document.getElementById("edit-conflict") !== null;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  // The idle sign-out (idle.js) saved the draft, or must leave regardless: no prompt.
  form.addEventListener("floorplan:draft-saved", function () { dirty = false; });
  window.addEventListener("floorplan:idle-sign-out", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = form.dataset.dirtyWarning || ""; }
  });
  const goto = form.querySelector("input[name='goto']");
  if (strip && goto) {
    strip.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-step]");
      if (!link || !dirty || link.getAttribute("aria-current") === "step") return;
      event.preventDefault();
      goto.value = link.dataset.step;
      dirty = false;
      if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
    });
  }

  if (form.id !== "assessment-form") return;

  // --- The intake form ---------------------------------------------------------------
  const liveBanner = document.getElementById("red-flag-live");
  function updateRedFlag() {
    const ticked = form.querySelectorAll("input[name='red_flags']:checked").length > 0;
    const answer = form.querySelector("select[name='any_red_flags']");
    liveBanner.hidden = !(ticked || (answer && answer.value === "true"));
  }

  const consent = form.querySelector("select[name='consent_recorded']");
  function updateConsent() {
    const given = consent && consent.value === "true";
    form.querySelectorAll(".internal-exam-finding").forEach(function (el) {
      el.classList.toggle("awaiting-consent", !given);
    });
  }

  // Dependent fields: a child its parent rules out is disabled, what it held kept aside
  // and given back if the parent is changed back. On opening the page a child that
  // already holds a value is left as it is: the server names the contradiction.
  function controls(wrapper) {
    return Array.from(wrapper.querySelectorAll("input, select, textarea"));
  }
  function holdsValue(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked;
    return el.value !== "" && el.value !== "unknown";
  }
  function applyDependency(wrapper, opening) {
    const parent = form.elements[wrapper.dataset.dependsOn];
    if (!parent) return;
    const allowed = wrapper.dataset.enabledWhen.split(" ");
    const on = allowed.indexOf(parent.value) !== -1;
    const fields = controls(wrapper);
    if (!on) {
      if (opening && fields.some(holdsValue)) return;
      if (!wrapper.classList.contains("depends-off")) {
        wrapper.floorplanKept = fields.map(function (el) {
          return el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
        });
      }
      fields.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = false;
        else if (el.tagName === "SELECT") el.selectedIndex = 0;
        else el.value = "";
        el.disabled = true;
      });
      wrapper.classList.add("depends-off");
    } else if (wrapper.classList.contains("depends-off")) {
      const kept = wrapper.floorplanKept || [];
      fields.forEach(function (el, i) {
        el.disabled = false;
        if (kept[i] === undefined) return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = kept[i];
        else el.value = kept[i];
      });
      wrapper.classList.remove("depends-off");
    }
  }
  const dependents = Array.from(form.querySelectorAll("[data-depends-on]"));
  dependents.forEach(function (wrapper) {
    const note = document.createElement("p");
    note.className = "depends-note";
    note.textContent = wrapper.dataset.note;
    wrapper.appendChild(note);
    applyDependency(wrapper, true);
  });

  // Ticking a trigger or a flag answers its yes/no question too.
  function answerYes(boxName, selectName) {
    form.querySelectorAll("input[name='" + boxName + "']").forEach(function (box) {
      box.addEventListener("change", function () {
        const select = form.querySelector("select[name='" + selectName + "']");
        if (box.checked && select) select.value = "true";
      });
    });
  }
  answerYes("stress_leak_triggers", "effort_leaks");
  answerYes("red_flags", "any_red_flags");

  form.addEventListener("change", function (event) {
    dirty = true;
    const name = event.target.name;
    dependents.forEach(function (wrapper) {
      if (wrapper.dataset.dependsOn === name) applyDependency(wrapper, false);
    });
    updateRedFlag();
    updateConsent();
  });
  updateRedFlag();
  updateConsent();
})();
