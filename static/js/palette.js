/* The document editor's palette and its photos.

   - Ctrl/Cmd+K in the document (or the "Insert…" button) opens a dialog that
     searches the owner's rows and the list embeds (htmx fetches the choices);
     ↑ ↓ / Tab move, Enter inserts the embed line at the cursor on a line of its
     own, Esc closes. Focus goes back to the text, and an input event lets
     autosave run.
   - "New entry/move/item/goal" loads the year page's add form into the dialog;
     the saved row comes back as an "embed-created" event with its line.
   - An image pasted or dropped into the document is uploaded, its line inserted,
     and the dialog asks for its caption. */
(function () {
  "use strict";

  let open = null; // {bar, dialog, editor, start, end}: the palette being used

  htmx.onLoad((elt) => {
    const bars = elt.matches("[data-palette-for]") ? [elt] : elt.querySelectorAll("[data-palette-for]");
    bars.forEach((bar) => (bar.hidden = false));
  });

  function barFor(editor) {
    return document.querySelector(`[data-palette-for="${editor.id}"]`);
  }

  function show(dialog, pane) {
    dialog.querySelector("[data-palette-search]").hidden = pane !== "search";
    dialog.querySelector("[data-palette-form]").hidden = pane !== "form";
    dialog.querySelector("[data-palette-caption]").hidden = pane !== "caption";
  }

  function start(bar, pane) {
    const editor = document.getElementById(bar.dataset.paletteFor);
    const dialog = bar.querySelector("[data-palette]");
    open = { bar, dialog, editor, start: editor.selectionStart, end: editor.selectionEnd };
    show(dialog, pane);
    if (!dialog.open) dialog.showModal();
    return open;
  }

  function openSearch(bar) {
    const { dialog } = start(bar, "search");
    delete dialog.dataset.pickWhenLoaded;
    const input = dialog.querySelector("[data-palette-input]");
    // The last words stay, selected: typing replaces them, and the choices shown
    // always match the field (htmx's "changed" compares with the last words sent).
    input.focus();
    input.select();
    htmx.trigger(input, "palette-open");
  }

  // The line goes on a line of its own; the cursor ends at the start of the next line.
  function insert(line, session = open) {
    const { editor, start: from, end: to } = session;
    const before = editor.value.slice(0, from);
    const after = editor.value.slice(to);
    const lead = before === "" || before.endsWith("\n") ? "" : "\n";
    const tail = after.startsWith("\n") ? "" : "\n";
    editor.value = before + lead + line + tail + after;
    session.start = session.end = before.length + lead.length + line.length + 1;
    editor.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Closing (Esc, an insertion, a saved caption) returns to the text, at the cursor,
  // at once: the dialog's "close" event comes a task later, after keys typed meanwhile.
  function close() {
    if (!open) return;
    const { dialog, editor, start: from, end: to } = open;
    open = null;
    if (dialog.open) dialog.close();
    dialog.querySelector("[data-palette-form]").replaceChildren();
    editor.focus();
    editor.setSelectionRange(from, to);
  }

  // Esc while a caption is typed saves the caption first (the submit closes the dialog).
  function captionTyped(dialog) {
    const form = dialog.querySelector("[data-palette-caption]");
    const input = form.querySelector("[data-palette-caption-input]");
    return !form.hidden && !input.disabled && input.value.trim() !== "" ? form : null;
  }

  document.addEventListener(
    "cancel",
    (event) => {
      const form = open && event.target === open.dialog && captionTyped(open.dialog);
      if (!form) return;
      event.preventDefault();
      form.requestSubmit();
    },
    true,
  );

  ["cancel", "close"].forEach((name) =>
    document.addEventListener(
      name,
      (event) => {
        if (open && event.target === open.dialog && !event.defaultPrevented) close();
      },
      true, // neither event bubbles
    ),
  );

  // Choices: one is active (aria-activedescendant), the focus stays in the search field.
  function choices(dialog) {
    return Array.from(dialog.querySelectorAll("[data-palette-results] [role=option]"));
  }

  function activate(dialog, index) {
    const all = choices(dialog);
    const input = dialog.querySelector("[data-palette-input]");
    if (!all.length) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const chosen = ((index % all.length) + all.length) % all.length;
    all.forEach((choice, i) => choice.setAttribute("aria-selected", String(i === chosen)));
    input.setAttribute("aria-activedescendant", all[chosen].id);
    all[chosen].scrollIntoView({ block: "nearest" });
  }

  function active(dialog) {
    return dialog.querySelector("[data-palette-results] [aria-selected=true]");
  }

  function pick(choice) {
    if (choice.dataset.embed) {
      insert(choice.dataset.embed);
      close();
    } else if (choice.dataset.new) {
      const box = open.dialog.querySelector("[data-palette-form]");
      show(open.dialog, "form");
      htmx.ajax("GET", choice.dataset.new, { target: box, swap: "innerHTML" });
    }
  }

  // The choices shown are for the words in the search field.
  function current(dialog) {
    const shown = dialog.querySelector("[data-palette-words]");
    const words = dialog.querySelector("[data-palette-input]").value.split(/\s+/).filter(Boolean);
    return shown !== null && shown.dataset.paletteWords === words.join(" ");
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target.matches || !target.matches("[data-palette-results]")) return;
    const dialog = target.closest("[data-palette]");
    activate(dialog, 0);
    if (dialog.dataset.pickWhenLoaded && current(dialog)) {
      delete dialog.dataset.pickWhenLoaded;
      const first = active(dialog);
      if (first && open) pick(first);
    }
  });

  document.addEventListener("embed-created", (event) => {
    if (!open) return;
    insert(event.detail.line);
    close();
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      const bar = target.matches("[data-document-editor]") && barFor(target);
      if (bar) {
        event.preventDefault();
        openSearch(bar);
      }
      return;
    }
    // Enter and the arrows belong to an input method while it composes (pinyin).
    if (!target.matches("[data-palette-input]") || event.isComposing) return;
    const dialog = target.closest("[data-palette]");
    const all = choices(dialog);
    const index = all.indexOf(active(dialog));
    if (event.key === "ArrowDown" || (event.key === "Tab" && !event.shiftKey)) {
      event.preventDefault();
      activate(dialog, index + 1);
    } else if (event.key === "ArrowUp" || (event.key === "Tab" && event.shiftKey)) {
      event.preventDefault();
      activate(dialog, index - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      // Typed faster than the choices came: pick once the choices for these words are in.
      if (!current(dialog)) dialog.dataset.pickWhenLoaded = "1";
      else if (index >= 0) pick(all[index]);
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const opener = target.closest("[data-palette-open]");
    if (opener) {
      openSearch(opener.closest("[data-palette-for]"));
      return;
    }
    const choice = target.closest("[data-palette-results] [role=option]");
    if (choice && open) {
      pick(choice);
      return;
    }
    if (target.closest("[data-palette-back]") && open) {
      open.dialog.querySelector("[data-palette-form]").replaceChildren();
      show(open.dialog, "search");
      open.dialog.querySelector("[data-palette-input]").focus();
    }
  });

  // Photos pasted or dropped into the document.
  function images(transfer) {
    return transfer ? Array.from(transfer.files).filter((file) => file.type.startsWith("image/")) : [];
  }

  async function upload(editor, file) {
    const bar = barFor(editor);
    if (!bar) return;
    const session = start(bar, "caption");
    const { dialog } = session;
    const form = dialog.querySelector("[data-palette-caption]");
    const status = form.querySelector("[data-palette-status]");
    const caption = form.querySelector("[data-palette-caption-input]");
    const thumb = form.querySelector("[data-palette-thumb]");
    form.querySelectorAll("input, button").forEach((el) => (el.disabled = true));
    caption.value = "";
    thumb.hidden = true;
    status.textContent = bar.dataset.msgUploading;
    const body = new FormData();
    body.append("year", bar.dataset.year);
    body.append("photo", file, file.name || "photo.png");
    let answer = {};
    let ok = false;
    try {
      const response = await fetch(bar.dataset.photoUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": window.almanacCsrfToken() },
        credentials: "same-origin",
      });
      ok = response.ok;
      answer = await response.json();
    } catch (error) {
      ok = false;
    }
    if (!ok || !answer.line) {
      status.textContent = answer.error || bar.dataset.msgFailed;
      return;
    }
    insert(answer.line, session);
    if (open !== session) return; // closed while uploading: the photo goes in, uncaptioned
    form.dataset.line = answer.line;
    form.dataset.key = answer.key;
    form.dataset.captionUrl = answer.caption_url;
    thumb.src = answer.thumb;
    thumb.hidden = false;
    status.textContent = "";
    form.querySelectorAll("input, button").forEach((el) => (el.disabled = false));
    caption.focus();
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-palette-caption]")) return;
    event.preventDefault();
    const text = form.querySelector("[data-palette-caption-input]").value.trim();
    if (!text || !open) {
      close();
      return;
    }
    const body = new FormData();
    body.append("caption", text);
    const response = await fetch(form.dataset.captionUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": window.almanacCsrfToken(), "HX-Request": "true" },
      credentials: "same-origin",
    }).catch(() => null);
    if (!response || !response.ok) {
      const reason = response ? await response.text() : "";
      form.querySelector("[data-palette-status]").textContent = reason || open.bar.dataset.msgFailed;
      return;
    }
    // The caption goes after "|" so the source says which photo the line shows.
    const label = text.replace(/[[\]]/g, "").replace(/\s+/g, " ");
    const line = `[[photo:${form.dataset.key} | ${label}]]`;
    const { editor } = open;
    const at = editor.value.indexOf(form.dataset.line);
    if (at >= 0) {
      editor.value = editor.value.slice(0, at) + line + editor.value.slice(at + form.dataset.line.length);
      if (open.start > at) open.start = open.end = open.start + line.length - form.dataset.line.length;
      editor.dispatchEvent(new Event("input", { bubbles: true }));
    }
    close();
  });

  document.addEventListener("paste", (event) => {
    const editor = event.target instanceof Element && event.target.closest("[data-document-editor]");
    const files = editor ? images(event.clipboardData) : [];
    if (!files.length) return;
    event.preventDefault();
    upload(editor, files[0]);
  });

  document.addEventListener("dragover", (event) => {
    const editor = event.target instanceof Element && event.target.closest("[data-document-editor]");
    if (editor && event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault(); // allows the drop
    }
  });

  document.addEventListener("drop", (event) => {
    const editor = event.target instanceof Element && event.target.closest("[data-document-editor]");
    const files = editor ? images(event.dataTransfer) : [];
    if (!files.length) return;
    event.preventDefault(); // otherwise the browser opens the file
    upload(editor, files[0]);
  });
})();
