// After a change the server sends the analyst back to the place they acted on
// (".../submissions/12/#passage-345"). Without this script the browser scrolls there; with it,
// focus moves there too (the target has tabindex="-1"), so a keyboard or screen-reader user
// carries on from the same passage instead of from the top of the page. The success message
// (a notification banner, which focuses itself) becomes the target's description, so it is
// still read out.

const id = decodeURIComponent(window.location.hash.slice(1));
const target = id ? document.getElementById(id) : null;

if (target && target.getAttribute("tabindex") === "-1") {
  const message = document.querySelector(
    ".govuk-notification-banner .govuk-notification-banner__heading",
  );
  if (message) {
    message.id ||= "workspace-change-message";
    target.setAttribute("aria-describedby", message.id);
  }
  target.focus();
}
