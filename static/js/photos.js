/* Photos: drop image files onto an upload form to send them, and show a refused
   upload's reasons (a 400 answer) in place. Everything else is plain forms + htmx;
   keyboard users use the file picker. */
(function () {
  "use strict";

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
