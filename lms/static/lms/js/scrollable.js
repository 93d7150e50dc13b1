// A table or panel that scrolls must be reachable with the keyboard (WCAG 2.1.1, axe
// "scrollable-region-focusable"). Tables are `display: block; overflow-x: auto` (site.css):
// whether they scroll depends on the screen, so the check runs on load and on resize.
(function () {
  "use strict";
  var SELECTOR = ".prose table, table.data, .table-scroll, [data-scrollable]";

  function scrolls(element) {
    var style = window.getComputedStyle(element);
    var x = /(auto|scroll)/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1;
    var y = /(auto|scroll)/.test(style.overflowY) && element.scrollHeight > element.clientHeight + 1;
    return x || y;
  }

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (element) {
      if (element.dataset.scrollFocus === "template") { return; }
      if (element.hasAttribute("tabindex") && element.dataset.scrollFocus !== "auto") {
        element.dataset.scrollFocus = "template";
        return;
      }
      if (scrolls(element)) {
        element.setAttribute("tabindex", "0");
        element.dataset.scrollFocus = "auto";
      } else if (element.dataset.scrollFocus === "auto") {
        element.removeAttribute("tabindex");
        delete element.dataset.scrollFocus;
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(mark, 150);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSwap", later);
})();
