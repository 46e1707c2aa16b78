/* Row forms keep the reader's place. When a save or a cancel replaces a row's
   form (with the row, a notice saying where it went, or the Add button), what
   replaces it starts where the form started, instead of everything below
   sliding up under the reader (a tall form gives way to a short row), and it
   takes the focus, which would otherwise fall back to the page. */
(function () {
  "use strict";

  let pending = null; // {marker, id, top} while a row form is being replaced

  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (!event.detail.shouldSwap || !(target instanceof Element)) return;
    if (!target.matches(".object-form-wrap") || !target.parentNode) return;
    if (target.closest("dialog")) return; // the palette's own form: it closes itself
    // A marker in front of the form finds what took its place (the swap may
    // also insert the row elsewhere, out of band).
    const marker = document.createElement("span");
    marker.hidden = true;
    target.before(marker);
    const box = target.getBoundingClientRect();
    pending = { marker: marker, id: target.id, top: box.top, bottom: box.bottom };
  });

  function focusable(elt) {
    if (elt.matches("a[href], button, input, select, textarea")) return elt;
    return elt.querySelector("a[href], button:not([hidden]), input:not([type=hidden]), select, textarea");
  }

  document.addEventListener("htmx:afterSwap", function () {
    if (!pending) return;
    const { marker, id, top, bottom } = pending;
    pending = null;
    const here = (id && document.getElementById(id)) || marker.nextElementSibling;
    marker.remove();
    if (!here || !here.isConnected) return;
    // Where the form started, if that was on screen. If the reader had scrolled
    // past it (to reach Save), the replacement ends where the form ended, so
    // what is above it (a row just added) stays in view.
    const box = here.getBoundingClientRect();
    const wanted =
      top >= 0 ? top : Math.max(0, Math.min(bottom, window.innerHeight) - box.height);
    window.scrollBy(0, box.top - wanted);
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      const first = focusable(here);
      if (first) first.focus({ preventScroll: true });
    }
  });
})();
