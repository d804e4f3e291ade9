// Selecting words in an answer copies them into the "Code exact words" form, with the answer
// and which occurrence they are, so a mouse or caret-browsing user need not retype them.
// The form works without this script: it is only a shortcut.

const form = document.querySelector(".app-span-form");

function fieldText(field) {
  // Rebuild the answer from its passages at their offsets (gaps between passages are spaces).
  let text = "";
  for (const block of document.querySelectorAll(`.app-passage[data-field="${field}"]`)) {
    const start = Number(block.dataset.start);
    const piece = block.querySelector(".app-passage__text").textContent;
    if (text.length < start) text += " ".repeat(start - text.length);
    text = text.slice(0, start) + piece + text.slice(start + piece.length);
  }
  return text;
}

function onSelection() {
  const selection = document.getSelection();
  if (!form || !selection || selection.isCollapsed || selection.rangeCount === 0) return;
  const range = selection.getRangeAt(0);
  const paragraph = range.startContainer.parentElement?.closest(".app-passage__text");
  if (!paragraph || !paragraph.contains(range.endContainer)) return;
  const words = range.toString().trim();
  if (!words) return;
  const block = paragraph.closest(".app-passage");
  const before = document.createRange();
  before.setStart(paragraph, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const offset = Number(block.dataset.start) + before.toString().length;
  const text = fieldText(block.dataset.field);
  let occurrence = 0;
  for (let at = text.indexOf(words); at !== -1 && at <= offset; at = text.indexOf(words, at + 1)) {
    occurrence += 1;
  }
  form.querySelector("[name=field]").value = block.dataset.field;
  form.querySelector("[name=words]").value = words;
  const chosen = form.querySelector("input[type=hidden][name=occurrence]");
  if (chosen) chosen.value = String(Math.max(occurrence, 1));
}

document.addEventListener("mouseup", onSelection);
document.addEventListener("keyup", (event) => {
  if (event.shiftKey) onSelection();
});

// Words typed or changed by hand are no longer the selected ones: forget which time they were,
// so the server asks when they appear more than once.
for (const name of ["words", "field"]) {
  form?.querySelector(`[name=${name}]`)?.addEventListener("input", () => {
    const occurrence = form.querySelector("input[type=hidden][name=occurrence]");
    if (occurrence) occurrence.value = "";
  });
}
