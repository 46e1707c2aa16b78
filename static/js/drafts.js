/* Drafts: nothing typed into a form is lost.

   A form marked `data-draft="NAME"` keeps what is typed into it, on every input,
   in the tab's sessionStorage under the user and NAME (sessionStorage, not
   localStorage: private text stays out of the browser profile and goes with the
   tab). Cancel, Esc, a dialog closing or a swap that replaces the form cannot
   lose the text: when a form of that NAME shows again, the draft is put back
   with a note and a "Discard" button that asks first. A successful save (a 2xx
   answer to the form, or a plain submit) drops the draft.

   While any form on the page holds text its page would not show again (a draft
   form changed from what the server sent, or an autosaving editor marked
   `data-unsaved`), the browser asks before the page is left.

   Long texts of existing rows are not drafts: they autosave (editor.js), and
   Cancel, Done and Esc wait for their save first. */
(function () {
  "use strict";

  const PREFIX = "almanac-draft";

  function msg(key, fallback) {
    return document.documentElement.dataset[key] || fallback;
  }

  function storageKey(form) {
    const meta = document.querySelector('meta[name="almanac-user"]');
    return `${PREFIX}:${meta ? meta.content : ""}:${form.dataset.draft}`;
  }

  function store() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // storage refused (privacy settings): the page still warns before leaving
    }
  }

  // What a user types or chooses; hidden fields, files and passwords are the page's own.
  function kept(el) {
    if (!el.name || el.disabled || el.closest("[data-draft-skip]")) return false;
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
    if (!(el instanceof HTMLInputElement)) return false;
    return !["hidden", "file", "password", "submit", "button", "reset", "image"].includes(el.type);
  }

  function fields(form) {
    return Array.from(form.elements).filter(kept);
  }

  function id(el) {
    return el.type === "checkbox" || el.type === "radio" ? `${el.name}=${el.value}` : el.name;
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked;
    if (el instanceof HTMLSelectElement) return Array.from(el.selectedOptions, (o) => o.value).join("\n");
    return el.value;
  }

  function initialOf(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.defaultChecked;
    if (el instanceof HTMLSelectElement) {
      const chosen = Array.from(el.options).filter((o) => o.defaultSelected);
      if (!chosen.length && !el.multiple && el.options.length) return el.options[0].value;
      return chosen.map((o) => o.value).join("\n");
    }
    return el.defaultValue;
  }

  function setValue(el, value) {
    if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(value);
    else if (el instanceof HTMLSelectElement) {
      const values = String(value).split("\n");
      Array.from(el.options).forEach((o) => (o.selected = values.includes(o.value)));
    } else el.value = value;
  }

  function snapshot(form) {
    const values = {};
    fields(form).forEach((el) => (values[id(el)] = valueOf(el)));
    return values;
  }

  /** The form holds something the server has not got. */
  function changed(form) {
    return fields(form).some((el) => valueOf(el) !== initialOf(el));
  }

  function read(form) {
    const s = store();
    if (!s) return null;
    try {
      return JSON.parse(s.getItem(storageKey(form)) || "null");
    } catch (error) {
      return null;
    }
  }

  function keep(form) {
    const s = store();
    // A form whose text the server took is on its way out: the blur or change its removal
    // may fire must not store that text again for the fresh form that replaces it.
    if (!s || form.dataset.draftSaved) return;
    try {
      if (changed(form)) s.setItem(storageKey(form), JSON.stringify(snapshot(form)));
    } catch (error) {
      // Quota full: the text is still in the form, and leaving the page still asks.
    }
  }

  function drop(form) {
    const s = store();
    if (s) s.removeItem(storageKey(form));
    form.querySelectorAll("[data-draft-note]").forEach((note) => note.remove());
  }

  function note(form) {
    const p = document.createElement("p");
    p.className = "message draft-note";
    p.setAttribute("role", "status");
    p.dataset.draftNote = "";
    p.append(msg("msgDraftBack", "Your unsaved text is back."), " ");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.dataset.draftDiscard = "";
    button.textContent = msg("msgDraftDiscard", "Discard it");
    p.append(button);
    form.prepend(p);
  }

  /** Put a kept draft back into a form that shows again. */
  function offer(form) {
    if (form.dataset.draftReady) return;
    form.dataset.draftReady = "1";
    const draft = read(form);
    if (!draft) return;
    const differs = fields(form).filter((el) => id(el) in draft && draft[id(el)] !== valueOf(el));
    if (!differs.length) return;
    differs.forEach((el) => {
      setValue(el, draft[id(el)]);
      // Let whatever listens (previews, counters) see the text.
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    note(form);
  }

  function setUp(root) {
    if (!(root instanceof Element) && root !== document) return;
    const forms = root instanceof Element && root.matches("form[data-draft]") ? [root] : [];
    forms.push(...root.querySelectorAll("form[data-draft]"));
    forms.forEach(offer);
  }

  function draftForm(target) {
    return target instanceof Element ? target.closest("form[data-draft]") : null;
  }

  ["input", "change"].forEach((name) =>
    document.addEventListener(name, (event) => {
      const form = draftForm(event.target);
      if (form && kept(event.target)) keep(form);
    }),
  );

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-draft-discard]");
    if (!button) return;
    const form = button.closest("form[data-draft]");
    if (!form || !window.confirm(msg("msgDraftConfirm", "Discard the text you typed here?"))) return;
    fields(form).forEach((el) => setValue(el, initialOf(el)));
    drop(form);
  });

  // Logging out leaves no text behind in the tab for the next person at this computer.
  function dropAll() {
    const s = store();
    if (!s) return;
    Object.keys(s)
      .filter((name) => name.startsWith(`${PREFIX}:`))
      .forEach((name) => s.removeItem(name));
  }

  // A plain submit hands the text to the server; an htmx one drops the draft on success.
  document.addEventListener("submit", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-drafts-clear]")) dropAll();
    const form = draftForm(event.target);
    if (!form || form.matches("[hx-post], [hx-get], [hx-put]")) return;
    form.dataset.draftSent = "1";
    drop(form);
  });

  function dropOnSuccess(event) {
    // The element that sent the request (beforeSwap's own ``elt`` is the swap target).
    const config = event.detail.requestConfig;
    const form = draftForm(config ? config.elt : event.detail.elt);
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (form && status >= 200 && status < 300 && config && config.verb !== "get") {
      form.dataset.draftSaved = "1";
      drop(form);
    }
  }
  // Before the swap: a fresh form of the same name in the answer (the next item to add)
  // must not be handed the text just saved; after the request for answers with no swap.
  document.addEventListener("htmx:beforeSwap", dropOnSuccess);
  document.addEventListener("htmx:afterRequest", dropOnSuccess);

  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.detail.elt));

  /** Text on this page that leaving would lose. */
  function unsaved() {
    const forms = Array.from(document.querySelectorAll("form[data-draft]:not([data-draft-sent])"));
    return forms.some(changed) || document.querySelector("[data-unsaved]") !== null;
  }

  window.addEventListener("beforeunload", (event) => {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.almanacDrafts = { unsaved, keep };
})();
