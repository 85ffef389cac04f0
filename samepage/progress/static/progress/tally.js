// Tally buttons for a trials goal: each press adds one trial (and one correct, for
// "correct"); "Start over" empties both. Without this script the two number fields work.
(function () {
  "use strict";
  function field(form, name) { return form.querySelector('input[name="' + name + '"]'); }
  function add(input, n) {
    var now = parseInt(input.value, 10);
    input.value = String((isNaN(now) ? 0 : now) + n);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tally]");
    if (!button) { return; }
    var form = button.closest("form");
    var correct = field(form, "numerator");
    var trials = field(form, "denominator");
    if (!correct || !trials) { return; }
    var kind = button.getAttribute("data-tally");
    if (kind === "reset") { correct.value = ""; trials.value = ""; }
    else { add(trials, 1); add(correct, kind === "correct" ? 1 : 0); }
    var said = form.querySelector("[data-tally-said]");
    if (said) {
      said.querySelector("[data-tally-x]").textContent = correct.value || "0";
      said.querySelector("[data-tally-y]").textContent = trials.value || "0";
      said.hidden = false;
    }
  });
  document.querySelectorAll("[data-tally]").forEach(function (button) { button.hidden = false; });
})();
