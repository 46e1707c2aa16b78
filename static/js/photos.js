/* Photos: choosing files or dropping them onto an upload form sends them at once,
   and a refused upload's reasons (a 400 answer) show in place. Everything else is
   plain forms + htmx (captions autosave through editor.js); keyboard users use
   the file picker. */
(function () {
  "use strict";

  // With JavaScript the label is the only control: choosing files uploads them,
  // so the Upload button (kept for pages without JavaScript) goes (almanac.css).
  function setUp(root) {
    root.querySelectorAll("[data-photo-drop]:not([data-auto])").forEach(function (form) {
      form.setAttribute("data-auto", "");
      const label = form.querySelector(".photo-upload-label");
      if (label) label.classList.add("button");
    });
  }

  document.addEventListener("htmx:load", function (event) {
    setUp(event.detail.elt.parentElement || document);
  });
  setUp(document);

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("[data-upload-on-choice]")) return;
    const form = input.closest("[data-photo-drop][data-auto]");
    if (form && input.files.length) form.requestSubmit();
  });

  function dropZone(event) {
    const target = event.target instanceof Element ? event.target : null;
    return target ? target.closest("[data-photo-drop]") : null;
  }

  function carriesFiles(event) {
    return Boolean(event.dataTransfer) && Array.from(event.dataTransfer.types).includes("Files");
  }

  function over(event) {
    const zone = dropZone(event);
    if (!zone || !carriesFiles(event)) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("is-dragover");
  }

  document.addEventListener("dragenter", over);
  document.addEventListener("dragover", over);

  document.addEventListener("dragleave", function (event) {
    const zone = dropZone(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("is-dragover");
  });

  document.addEventListener("drop", function (event) {
    const zone = dropZone(event);
    if (!zone || !carriesFiles(event)) return;
    event.preventDefault(); // otherwise the browser opens the file
    zone.classList.remove("is-dragover");
    const input = zone.querySelector('input[type="file"]');
    if (!input || event.dataTransfer.files.length === 0) return;
    input.files = event.dataTransfer.files;
    zone.requestSubmit(); // htmx sends it when present; a plain post otherwise
  });
})();
