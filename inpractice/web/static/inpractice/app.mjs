// Starts GOV.UK Frontend components and enhances school, trust and local-authority fields with
// the accessible autocomplete. Every field works without this script.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// GOV.UK Frontend puts aria-expanded on radios that reveal a follow-up question, but ARIA does
// not allow aria-expanded on a radio (axe: aria-allowed-attr; alphagov/govuk-frontend#979).
// Keep aria-controls, which is valid, and remove aria-expanded whenever the library sets it.
const dropRadioExpanded = (radio) => radio.removeAttribute("aria-expanded");
document.querySelectorAll("input[type='radio'][aria-expanded]").forEach(dropRadioExpanded);
new MutationObserver((records) => {
  records.forEach(({ target }) => {
    if (target.matches("input[type='radio'][aria-expanded]")) dropRadioExpanded(target);
  });
}).observe(document.body, { subtree: true, attributeFilter: ["aria-expanded"] });

// The autocomplete inserts each suggestion as HTML. Suggestions are names from data (the school
// register, an imported file, an <option>'s text), so they are escaped and show as plain text.
const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
const suggestionsAsText = { suggestion: escapeHtml };

function enhanceLookup(input) {
  const source = input.dataset.lookup;
  const wrapper = document.createElement("div");
  input.parentNode.insertBefore(wrapper, input);
  const name = input.name;
  const id = input.id;
  const value = input.value;
  const describedBy = input.getAttribute("aria-describedby");
  input.remove();
  // Look-ups overlap while someone types and can answer out of order. Only the newest may fill
  // the list: an older answer would show suggestions for what was typed before, and would reset
  // the option a keyboard user has just moved to, so Enter would choose nothing.
  let newest = 0;
  window.accessibleAutocomplete({
    element: wrapper,
    id: id,
    name: name,
    defaultValue: value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    autoselect: false,
    tNoResults: () => "No match found. You can still enter a URN.",
    templates: suggestionsAsText,
    source: (query, populate) => {
      const request = ++newest;
      const fill = (labels) => request === newest && populate(labels);
      fetch(`${source}?q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { results: [] }))
        .then((data) => fill(data.results.map((r) => r.label)))
        .catch(() => fill([]));
    },
  });
  const created = document.getElementById(id);
  if (created && describedBy) {
    created.setAttribute("aria-describedby", describedBy);
  }
  if (created && input.classList.contains("govuk-input--error")) {
    created.classList.add("govuk-input--error");
  }
}

if (window.accessibleAutocomplete) {
  document.querySelectorAll("input[data-lookup]").forEach(enhanceLookup);
  document.querySelectorAll("select[data-enhance='autocomplete']").forEach((select) => {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: false,
      minLength: 2,
      templates: suggestionsAsText,
    });
  });
}
