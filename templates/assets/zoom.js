/* journeymap: a zoomable diagram's "Full size" button. Without this script the diagram is fitted to the
   page and its download link gives the full size. */
(function () {
  "use strict";
  document.querySelectorAll(".diagram.zoomable").forEach(function (figure) {
    var button = figure.querySelector("button.zoom");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var natural = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", natural ? "true" : "false");
      figure.classList.toggle("is-natural", natural);
    });
  });
}());
