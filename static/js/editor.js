// Almanac's editing glue: what htmx cannot do alone.
//
// - Autosave state for long texts ("Saving…", "Saved 14:03",
//   "Not saved — retrying"), retries with backoff while offline, on server
//   errors or an expired session. The saves themselves are htmx requests
//   (hx-trigger with a delay, hx-sync="this:queue last"). An editor holding
//   unsaved text carries `data-unsaved`, which drafts.js reads to ask before
//   the page is left.
// - A 409 conflict (the server swaps it into the editor's conflict box) shows
//   both texts; the user keeps theirs, takes the other or merges by hand.
// - Esc cancels a form, Ctrl/Cmd+Enter saves it.
// - Before a row form, its Cancel or a "Done" link replaces an editor, unsaved
//   text is saved first.
(function () {
  "use strict";

  const RETRY_MAX_MS = 30000;
  const AUTH_RETRY_MS = 3000;
  const state = new WeakMap(); // editor form -> {dirty, sent, retryMs, timer}

  function info(form) {
    let s = state.get(form);
    if (!s) {
      s = { dirty: false, sent: null, retryMs: 1000, timer: null, saving: false };
      state.set(form, s);
    }
    return s;
  }

  function field(form) {
    return form.querySelector("[data-autosave]");
  }

  function show(form, text, kind) {
    const el = form.querySelector("[data-state]");
    if (!el) return;
    el.textContent = text;
    el.dataset.kind = kind;
  }

  function t(key) {
    const catalog = document.documentElement.dataset;
    const fallback = {
      saving: "Saving…",
      saved: "Saved",
      unsaved: "Not saved yet",
      retrying: "Not saved — retrying",
      login: "Not saved — your session expired. Log in again in another tab; the text stays here.",
      conflict: "Not saved — changed elsewhere",
      tooLong: "Not saved",
    };
    return catalog["msg" + key[0].toUpperCase() + key.slice(1)] || fallback[key];
  }

  function setDirty(form, dirty) {
    info(form).dirty = dirty;
    form.toggleAttribute("data-unsaved", dirty);
  }

  // Backoff doubles up to 30 s; while logged out, try every few seconds so the
  // save goes through soon after the user logs in again in another tab.
  function scheduleRetry(form, fixedMs) {
    const s = info(form);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = null;
      htmx.trigger(form, "almanac:retry");
    }, fixedMs || s.retryMs);
    if (!fixedMs) s.retryMs = Math.min(s.retryMs * 2, RETRY_MAX_MS);
  }

  function retryAllNow() {
    document.querySelectorAll(".editor-form").forEach((form) => {
      if (info(form).dirty && !info(form).saving) {
        info(form).retryMs = 1000;
        htmx.trigger(form, "almanac:retry");
      }
    });
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (form.classList && form.classList.contains("editor-form")) {
      const s = info(form);
      const input = field(form);
      s.sent = input ? input.value : null;
      s.saving = true;
      show(form, t("saving"), "saving");
    }
  });

  document.addEventListener("input", (event) => {
    const form = event.target.closest(".editor-form");
    if (form && event.target.matches("[data-autosave]")) {
      const s = info(form);
      setDirty(form, true);
      show(form, t("unsaved"), "unsaved");
      // Safety net: if typing began before htmx wired this editor up (or a
      // trigger was lost), save anyway once typing has paused.
      clearTimeout(s.safety);
      s.safety = setTimeout(() => {
        if (s.dirty && !s.saving && !s.timer) htmx.trigger(form, "almanac:retry");
      }, 2500);
    }
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form.classList || !form.classList.contains("editor-form")) return;
    const s = info(form);
    s.saving = false;
    const xhr = event.detail.xhr;
    const status = xhr ? xhr.status : 0;
    if (status >= 200 && status < 300) {
      const version = xhr.getResponseHeader("X-Text-Version");
      if (version !== null) form.querySelector("[data-version]").value = version;
      const input = field(form);
      if (input && input.value === s.sent) setDirty(form, false);
      s.retryMs = 1000;
      const at = xhr.getResponseHeader("X-Saved-At") || "";
      show(form, s.dirty ? t("unsaved") : `${t("saved")} ${at}`.trim(), s.dirty ? "unsaved" : "saved");
      form.closest("[data-editor]").querySelector("[data-conflict]").replaceChildren();
    } else if (status === 409) {
      show(form, t("conflict"), "conflict");
    } else if (status === 401 || status === 403) {
      show(form, t("login"), "error");
      scheduleRetry(form, AUTH_RETRY_MS);
    } else if (status >= 400 && status < 500) {
      // Refused (422 by the convention): sending the same text again cannot help.
      show(form, `${t("tooLong")}: ${xhr.responseText}`, "error");
    } else {
      show(form, t("retrying"), "error");
      scheduleRetry(form);
    }
  });

  // Network failures (offline) never reach afterRequest with a status.
  ["htmx:sendError", "htmx:timeout"].forEach((name) =>
    document.addEventListener(name, (event) => {
      const form = event.detail.elt;
      if (form.classList && form.classList.contains("editor-form")) {
        info(form).saving = false;
        show(form, t("retrying"), "error");
        scheduleRetry(form);
      }
    }),
  );

  window.addEventListener("online", retryAllNow);
  window.addEventListener("focus", retryAllNow);

  // Conflict choices.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-conflict-action]");
    if (!button) return;
    const editor = button.closest("[data-editor]");
    const form = editor.querySelector(".editor-form");
    const conflict = button.closest(".conflict");
    const input = field(form);
    const theirs = conflict.querySelector("[data-theirs]").value;
    form.querySelector("[data-version]").value = conflict.dataset.theirsVersion;
    const action = button.dataset.conflictAction;
    if (action === "theirs") {
      input.value = theirs;
      setDirty(form, false);
      show(form, t("saved"), "saved");
    } else if (action === "merge") {
      input.value = `${input.value}\n\n-------- ${conflict.querySelectorAll("h4")[1].textContent} --------\n\n${theirs}`;
      setDirty(form, true);
      show(form, t("unsaved"), "unsaved");
      input.focus();
    } else {
      setDirty(form, true);
      htmx.trigger(form, "almanac:retry");
    }
    conflict.remove();
    htmx.trigger(input, "input");
  });

  // Save unsaved editors inside a container before a request replaces it.
  function dirtyEditorsIn(container) {
    return Array.from(container.querySelectorAll(".editor-form")).filter((f) => info(f).dirty);
  }

  document.addEventListener("htmx:confirm", (event) => {
    const elt = event.detail.elt;
    const flushing = elt.matches("[data-flush], [data-row-form], [data-cancel]");
    if (!flushing) return;
    const container = elt.closest(".editing, .editor, .object-form-wrap") || document;
    const dirty = dirtyEditorsIn(container);
    if (!dirty.length) return;
    event.preventDefault();
    dirty.forEach((form) => htmx.trigger(form, "almanac:retry"));
    let waited = 0;
    const poll = setInterval(() => {
      waited += 100;
      if (!dirtyEditorsIn(container).length) {
        clearInterval(poll);
        event.detail.issueRequest(true);
      } else if (waited > 15000) {
        clearInterval(poll); // still unsaved (offline?): stay here, the text is kept
      }
    }, 100);
  });

  // Keyboard: Esc cancels the form being edited, Ctrl/Cmd+Enter saves it.
  document.addEventListener("keydown", (event) => {
    const form = event.target.closest && event.target.closest("form");
    if (!form) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.classList.contains("editor-form")) htmx.trigger(form, "almanac:retry");
      else form.requestSubmit();
    } else if (event.key === "Escape") {
      // Cancel saves the row's unsaved texts first; typed fields stay as a draft.
      const wrap = form.closest(".object-form-wrap");
      const cancel = wrap && wrap.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        htmx.trigger(cancel, "click");
      }
    }
  });

  // Focus the first field of a form or editor that htmx just opened.
  document.addEventListener("htmx:load", (event) => {
    const elt = event.detail.elt;
    if (!elt.matches || !elt.matches(".object-form-wrap:not(.add-slot), .editor")) return;
    if (elt.contains(document.activeElement)) return; // already typing there: keep the caret
    const first = elt.querySelector("[data-autosave], .object-form input:not([type=hidden]), select");
    if (first) first.focus();
  });
})();
