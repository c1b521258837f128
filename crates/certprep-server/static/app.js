// Progressive enhancement: drag and drop for build lists and matching. The page works without
// it: every drag has a keyboard-usable <select> that it only sets.
(function () {
  "use strict";
  // Build list: drag an action onto a position to fill that position's select.
  document.querySelectorAll("[data-drag-source]").forEach(function (el) {
    el.setAttribute("draggable", "true");
    el.addEventListener("dragstart", function (e) {
      e.dataTransfer.setData("text/plain", el.getAttribute("data-drag-source"));
      el.classList.add("dragging");
    });
    el.addEventListener("dragend", function () { el.classList.remove("dragging"); });
  });
  document.querySelectorAll("[data-drop-select]").forEach(function (zone) {
    zone.addEventListener("dragover", function (e) { e.preventDefault(); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      var label = e.dataTransfer.getData("text/plain");
      var select = document.getElementById(zone.getAttribute("data-drop-select"));
      if (select) { select.value = label; select.dispatchEvent(new Event("change")); }
    });
  });
  // The exam clock: counts down to the deadline the server gave; at zero, reloading the page
  // lets the server submit the exam (the deadline is enforced there, not here).
  var clock = document.querySelector("[data-deadline]");
  if (clock && clock.getAttribute("data-deadline")) {
    var deadline = Date.parse(clock.getAttribute("data-deadline"));
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { window.location.reload(); } else { setTimeout(tick, 1000); }
    };
    tick();
  }
})();
