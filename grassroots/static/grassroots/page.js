// The Content-Security-Policy refuses style="" attributes and onclick= handlers in the pages.
// Values the server computes (a bar's width, a group's color) come as data attributes and are set
// here through the DOM, which the policy allows; buttons say what they do with data-action.
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (el) {
      el.style.width = el.dataset.barWidth;
    });
    root.querySelectorAll("[data-swatch]").forEach(function (el) {
      el.style.background = el.dataset.swatch;
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-action=print]")) window.print();
  });
  // Content htmx swaps in.
  document.addEventListener("htmx:load", function (event) { apply(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
})();
