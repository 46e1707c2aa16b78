/* The parts of Almanac's htmx convention that the config in base.html cannot say.

   The convention (docs/writing.md): a refused form answers 422 with the form and
   its errors, a conflict 409 with what to choose; htmx swaps both where the form
   is (`responseHandling`). Any other error answer is not swapped: the user is
   told here, next to what they did, and nothing they typed is touched. A
   history restore asks for the whole page (`historyRestoreAsHxRequest: false`).

   - CSRF: the one mechanism is the X-CSRFToken header set here from the cookie,
     read at each request because logging in again (in another tab) changes it.
   - An error answer without a body is never swapped: it would blank the form.
   - An error that is not swapped, a network failure or a timeout shows a note
     after the element that made the request. Autosaving editors say it in their
     own status line (editor.js). */
(function () {
  "use strict";

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  window.almanacCsrfToken = csrfToken;

  document.addEventListener("htmx:configRequest", (event) => {
    const token = csrfToken();
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    // Django reads the form field before the header: refresh it too.
    if (event.detail.parameters.csrfmiddlewaretoken !== undefined) {
      event.detail.parameters.csrfmiddlewaretoken = token;
    }
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 400 && !xhr.responseText.trim()) event.detail.shouldSwap = false;
  });

  function msg(key, fallback) {
    return document.documentElement.dataset[key] || fallback;
  }

  function ownStatusLine(elt) {
    return elt.closest && elt.closest(".editor-form");
  }

  function anchor(elt) {
    return (elt.closest && elt.closest("form")) || elt;
  }

  function clear(elt) {
    const at = anchor(elt);
    const next = at.nextElementSibling;
    if (next && next.matches("[data-request-error]")) next.remove();
  }

  function tell(elt, text) {
    if (!(elt instanceof Element) || ownStatusLine(elt) || !elt.isConnected) return;
    clear(elt);
    const note = document.createElement("p");
    note.className = "message message-error request-error";
    note.setAttribute("role", "alert");
    note.dataset.requestError = "";
    note.textContent = text;
    anchor(elt).after(note);
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt instanceof Element) clear(event.detail.elt);
  });

  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    let text;
    if (xhr.status === 401 || xhr.status === 403) {
      text = msg("msgRequestLogin", "Not done — your session expired. Log in again in another tab, then try again; what you typed is still here.");
    } else {
      text = msg("msgRequestFailed", "That did not work (the server answered {status}). What you typed is still here; try again.").replace("{status}", String(xhr.status));
    }
    tell(event.detail.elt, text);
  });

  ["htmx:sendError", "htmx:timeout"].forEach((name) =>
    document.addEventListener(name, (event) => {
      tell(event.detail.elt, msg("msgRequestOffline", "No connection — nothing was sent. What you typed is still here; try again."));
    }),
  );
})();
