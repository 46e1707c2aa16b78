// Adding library items fast: several lines pasted into a new item's title offer
// one item per line. The lines wait in the form's hidden "lines" field; "Add them"
// posts the form once with many=1, and the server adds them all or none.
(function () {
  "use strict";

  function linesOf(text) {
    return text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter(Boolean);
  }

  document.addEventListener("paste", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("[data-paste-title]") || !input.form) return;
    const box = input.form.querySelector("[data-paste-lines]");
    const data = event.clipboardData || window.clipboardData;
    if (!box || !data) return;
    const lines = linesOf(data.getData("text"));
    if (lines.length < 2) return; // one line is a title like any other
    event.preventDefault();
    box.querySelector("[data-paste-text]").value = lines.join("\n");
    box.querySelector("[data-paste-list]").replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement("li");
        item.textContent = line;
        return item;
      })
    );
    box.hidden = false;
    box.querySelector("[data-paste-add]").focus();
  });

  // "Keep as one title": the lines go into the title, joined by spaces.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-paste-one]");
    if (!button) return;
    const box = button.closest("[data-paste-lines]");
    const title = box.closest("form").querySelector("[data-paste-title]");
    const text = box.querySelector("[data-paste-text]");
    const joined = linesOf(text.value).join(" ");
    title.value = title.value ? `${title.value} ${joined}` : joined;
    text.value = "";
    box.querySelector("[data-paste-list]").replaceChildren();
    box.hidden = true;
    title.focus();
  });

  // A new item from a year page starts "finished in <year>". Choosing "want to read" or
  // "reading" takes that untouched default away (a book not finished has no finish
  // date); choosing "finished" again with the field empty puts it back.
  document.addEventListener("change", (event) => {
    const status = event.target;
    if (!status.matches || !status.matches('select[name$="status"]') || !status.form) return;
    const form = status.form;
    if (!form.querySelector("[data-paste-title]")) return; // only the add-item form
    const finished = form.querySelector('input[name$="finished_on"]');
    const year = form.querySelector('input[name="year"]');
    if (!finished || !year || !year.value) return;
    if (status.value !== "finished" && finished.value.trim() === year.value) {
      finished.value = "";
    } else if (status.value === "finished" && !finished.value.trim()) {
      finished.value = year.value;
    } else {
      return;
    }
    finished.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
