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
})();
