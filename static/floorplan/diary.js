// The diary page: after a row is added, the cursor waits after the kept date.
(function () {
  "use strict";
  const form = document.querySelector(".diary-entry-form");
  if (!form) return;
  const time = form.querySelector("input.diary-time");

  function keptDateOnly() {
    return /^\d{4}-\d{2}-\d{2} $/.test(time.value);
  }
  function caretToEnd() {
    const end = time.value.length;
    time.setSelectionRange(end, end);
  }
  time.addEventListener("focus", function () {
    // Only when nothing but the date is there: a time being corrected keeps its caret.
    if (keptDateOnly()) window.setTimeout(caretToEnd, 0);
  });

  // autofocus is skipped by some browsers (a URL with a #fragment, a restored page).
  const wanted = form.querySelector("[autofocus]");
  if (wanted && document.activeElement !== wanted) wanted.focus();
  if (document.activeElement === time && keptDateOnly()) caretToEnd();
})();
