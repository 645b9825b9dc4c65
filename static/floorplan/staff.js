// Adding a therapist: the password fields only matter when the admin sets the password
// now; with an invitation the therapist chooses their own. Without JavaScript both show.
(function () {
  "use strict";
  const fields = document.getElementById("staff-password");
  const choices = document.querySelectorAll("input[name='access']");
  if (!fields || !choices.length) return;
  const sync = function () {
    const chosen = document.querySelector("input[name='access']:checked");
    fields.hidden = !chosen || chosen.value !== "password";
  };
  choices.forEach(function (choice) { choice.addEventListener("change", sync); });
  sync();
})();
