// Wide tables scroll inside their own box on a narrow screen, never the whole page
// (WCAG 1.4.10 reflow): each table of the page sits in a .table-responsive box. A box that
// scrolls with nothing focusable inside gets a tab stop and a name, so a keyboard can
// scroll it too (axe: scrollable-region-focusable).
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var boxes = [];

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var labelledby = table.getAttribute("aria-labelledby");
    var label = labelledby && document.getElementById(labelledby);
    if (label) return label.textContent.trim();
    for (var el = table.parentElement; el && el !== document.body; el = el.parentElement) {
      var heading = el.querySelector("h1, h2, h3, h4, h5, h6");
      if (heading && heading.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return heading.textContent.trim();
      }
    }
    return document.title;
  }

  function wrap() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-responsive")) {
        var box = table.closest(".table-responsive");
        if (!boxes.some(function (b) { return b.box === box; })) boxes.push({ box: box, table: table });
        return;
      }
      var wrapper = document.createElement("div");
      wrapper.className = "table-responsive";
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
      boxes.push({ box: wrapper, table: table });
    });
    update();
  }

  function update() {
    boxes.forEach(function (b) {
      var scrolls = b.box.scrollWidth > b.box.clientWidth;
      if (scrolls && !b.box.hasAttribute("tabindex") && !b.box.querySelector(FOCUSABLE)) {
        b.box.tabIndex = 0;
        b.box.setAttribute("role", "region");
        b.box.setAttribute("aria-label", nameOf(b.table));
        b.added = true;
      } else if (!scrolls && b.added) {
        b.box.removeAttribute("tabindex");
        b.box.removeAttribute("role");
        b.box.removeAttribute("aria-label");
        b.added = false;
      }
    });
  }

  wrap();
  window.addEventListener("resize", update);
  document.body.addEventListener("htmx:afterSettle", wrap);
})();
