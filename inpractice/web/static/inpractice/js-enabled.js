// Marks the page as scripted before it paints, as GOV.UK Frontend's template does inline;
// kept in a file so the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
