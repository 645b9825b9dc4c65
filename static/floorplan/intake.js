// The intake page: show a red flag at once, mark the consent rule, and never lose input.
(function () {
  "use strict";
  const form = document.getElementById("assessment-form");
  if (!form) return;

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

  function updateSections() {
    form.querySelectorAll("section[data-section]").forEach(function (section) {
      const key = section.dataset.section;
      const recorded = Array.from(section.querySelectorAll("select, input")).some(function (el) {
        if (el.type === "checkbox" || el.type === "radio") return el.checked;
        return el.value !== "" && el.value !== "unknown";
      });
      const badge = document.querySelector("[data-section-status='" + key + "']");
      if (!badge) return;
      badge.className = recorded ? "badge text-bg-success" : "badge text-bg-light border";
      badge.textContent = recorded ? badge.dataset.done : badge.dataset.todo;
    });
  }

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

  let dirty = form.querySelector(".is-invalid") !== null || document.getElementById("edit-conflict") !== null;
  form.addEventListener("change", function () {
    dirty = true;
    updateRedFlag();
    updateConsent();
    updateSections();
  });
  form.addEventListener("submit", function () { dirty = false; });
  // The idle sign-out (idle.js) saved the draft, or must leave regardless: no prompt.
  form.addEventListener("floorplan:draft-saved", function () { dirty = false; });
  window.addEventListener("floorplan:idle-sign-out", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = form.dataset.dirtyWarning; }
  });
  updateRedFlag();
  updateConsent();
  updateSections();
})();
