/* Dates: the calendar button beside a date typed as a day, month, quarter or year
   (core.forms.PartialDateInput). The text stays the field; a day picked in the
   browser's calendar is written into it as 2020-04-17. */
(function () {
  "use strict";

  const DAY = /^\d{4}-\d{2}-\d{2}$/;

  function show(root) {
    root.querySelectorAll("[data-partial-date]").forEach(function (wrap) {
      const picker = wrap.querySelector(".date-picker-input");
      // showPicker is the only way to open the calendar from our own button.
      if (!picker || typeof picker.showPicker !== "function") return;
      picker.hidden = false;
      wrap.querySelector("[data-date-pick]").hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("[data-date-pick]") : null;
    if (!button) return;
    const wrap = button.closest("[data-partial-date]");
    const text = wrap.querySelector("input:not([type=date])");
    const picker = wrap.querySelector(".date-picker-input");
    picker.value = DAY.test(text.value.trim()) ? text.value.trim() : "";
    try {
      picker.showPicker();
    } catch (error) {
      text.focus(); // not allowed here (a cross-origin frame): typing still works
    }
  });

  document.addEventListener("change", function (event) {
    const picker = event.target;
    if (!(picker instanceof HTMLInputElement) || !picker.classList.contains("date-picker-input")) return;
    const text = picker.closest("[data-partial-date]").querySelector("input:not([type=date])");
    if (!picker.value) return;
    text.value = picker.value;
    // Drafts and validation listen for typing: a picked day is typing too.
    text.dispatchEvent(new Event("input", { bubbles: true }));
    text.focus();
  });

  document.addEventListener("htmx:load", function (event) {
    show(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    show(document);
  });
})();
