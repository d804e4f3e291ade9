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
  // Look-ups overlap while someone types and can answer out of order (issue 15). Two rules keep
  // a keyboard user from choosing a school they never saw for what they typed:
  // - only the answer to the newest query may fill the list: an older answer would show
  //   suggestions for text that is no longer in the box;
  // - the moment the text changes, the old suggestions go (unless this exact text was looked up
  //   before): Down and Enter pressed before the answer arrives find nothing to choose, rather
  //   than choosing a suggestion for the text as it was a few keys ago.
  // The list says "Searching…" meanwhile, and under the field a live hint says when the list
  // holds only the first matches ("Showing 20 of 110 schools: add the town to narrow it").
  let newest = 0;
  let searching = false;
  const answers = new Map();
  const hint = document.createElement("div");
  hint.id = `${id}-matches`;
  hint.className = "govuk-hint govuk-!-margin-top-2 govuk-!-margin-bottom-0";
  hint.setAttribute("aria-live", "polite");
  const say = (data) => {
    const shown = data.results.length;
    hint.textContent =
      data.total > shown
        ? `Showing ${shown} of ${data.total} schools that match. Add the town to narrow it, or enter the URN.`
        : "";
  };
  window.accessibleAutocomplete({
    element: wrapper,
    id: id,
    name: name,
    defaultValue: value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    autoselect: false,
    tNoResults: () => (searching ? "Searching…" : "No match found. You can still enter a URN."),
    templates: suggestionsAsText,
    source: (query, populate) => {
      const request = ++newest;
      const known = answers.get(query);
      if (known) {
        searching = false;
        say(known);
        populate(known.results.map((r) => r.label));
        return;
      }
      searching = true;
      // The count under the field belongs to the old text too: it goes with its suggestions.
      hint.textContent = "";
      populate([]);
      const fill = (data) => {
        if (request !== newest) return;
        searching = false;
        say(data);
        populate(data.results.map((r) => r.label));
      };
      fetch(`${source}?q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { results: [] }))
        .then((data) => {
          const answer = { results: data.results || [], total: data.total || 0 };
          if (data.q === query.trim()) answers.set(query, answer);
          fill(answer);
        })
        .catch(() => fill({ results: [], total: 0 }));
    },
  });
  wrapper.after(hint);
  const created = document.getElementById(id);
  if (created) {
    created.setAttribute("aria-describedby", [describedBy, hint.id].filter(Boolean).join(" "));
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
