// The document editor's writing surface: what CSS and htmx cannot do alone.
//
// - The textarea grows with its text where the browser lacks CSS
//   `field-sizing: content`.
// - Focus mode (button, Ctrl/Cmd+Shift+F) shows nothing but the text; Esc leaves.
// - Preview (button, Ctrl/Cmd+Shift+P) shows or hides the rendered document; it
//   starts shown beside the text on a wide screen and hidden on a narrow one.
// Without JavaScript the editor is a plain form with its preview below.
(function () {
  "use strict";

  const WIDE = window.matchMedia("(min-width: 80rem)");
  const growsByItself = CSS.supports("field-sizing", "content");

  function grow(textarea) {
    if (growsByItself) return;
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 4}px`;
  }

  function press(button, on) {
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function setFocus(editor, on) {
    editor.classList.toggle("focus-mode", on);
    press(editor.querySelector("[data-focus-toggle]"), on);
    const textarea = editor.querySelector("[data-document-editor]");
    if (textarea) textarea.focus();
  }

  function setPreview(editor, shown) {
    editor.classList.toggle("preview-hidden", !shown);
    press(editor.querySelector("[data-preview-toggle]"), shown);
  }

  function setUp(root) {
    const editors = root.matches && root.matches(".editor-document")
      ? [root]
      : Array.from(root.querySelectorAll ? root.querySelectorAll(".editor-document") : []);
    editors.forEach((editor) => {
      if (editor.dataset.documentReady) return;
      editor.dataset.documentReady = "1";
      editor.querySelectorAll("[data-focus-toggle], [data-preview-toggle]").forEach((b) => {
        b.hidden = false;
      });
      setPreview(editor, WIDE.matches);
      const textarea = editor.querySelector("[data-document-editor]");
      if (textarea) grow(textarea);
    });
  }

  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.detail.elt));

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-document-editor]")) grow(event.target);
  });

  document.addEventListener("click", (event) => {
    const focus = event.target.closest("[data-focus-toggle]");
    const preview = event.target.closest("[data-preview-toggle]");
    const editor = event.target.closest(".editor-document");
    if (!editor) return;
    if (focus) setFocus(editor, !editor.classList.contains("focus-mode"));
    if (preview) setPreview(editor, editor.classList.contains("preview-hidden"));
  });

  document.addEventListener("keydown", (event) => {
    const open = document.querySelector(".editor-document.focus-mode");
    if (event.key === "Escape" && open) {
      event.preventDefault();
      setFocus(open, false);
      return;
    }
    if (!(event.ctrlKey || event.metaKey) || !event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key !== "f" && key !== "p") return;
    const editor =
      (event.target.closest && event.target.closest(".editor-document")) ||
      document.querySelector(".editor-document");
    if (!editor) return;
    event.preventDefault();
    if (key === "f") setFocus(editor, !editor.classList.contains("focus-mode"));
    else setPreview(editor, editor.classList.contains("preview-hidden"));
  });
})();
