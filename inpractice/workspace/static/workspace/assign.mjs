// "Select all submissions on this page" ticks (or clears) every row's box as well, so the table
// shows what will be assigned. Without this script the box still works: the server then
// assigns every submission listed on the page.

const all = document.getElementById("all-on-page");
const rows = [...document.querySelectorAll(".app-assign-many__row")];

all?.addEventListener("change", () => {
  for (const row of rows) row.checked = all.checked;
});
for (const row of rows) {
  row.addEventListener("change", () => {
    if (all && !row.checked) all.checked = false;
  });
}
