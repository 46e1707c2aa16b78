/* Share links: copy a new link's address with one click. Without JavaScript the
   address sits in a read-only field to select and copy by hand; the button stays
   hidden. navigator.clipboard needs a secure context (HTTPS or localhost): where it
   is missing or refused, the address is selected and the user told to copy it. */
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function say(text) {
    const state = document.getElementById("share-copy-state");
    if (state) state.textContent = text;
  }

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    const button = target ? target.closest("button[data-copy]") : null;
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    function fallback() {
      input.focus();
      input.select();
      say(button.dataset.copyFailed);
    }
    if (!navigator.clipboard || !window.isSecureContext) {
      fallback();
      return;
    }
    navigator.clipboard.writeText(input.value).then(function () {
      say(button.dataset.copied);
    }, fallback);
  });

  // A click into the address selects all of it, ready to copy.
  document.addEventListener("focusin", function (event) {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-all")) {
      target.select();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) reveal(event.target);
  });
})();
