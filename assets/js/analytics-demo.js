// Analytics placeholder for the example site. It makes no network
// request; it only proves that consent gating works: it runs only after
// the visitor accepts analytics cookies, and then sets one analytics
// cookie and marks the page.
(function () {
  "use strict";
  document.cookie = "ex_analytics_id=demo; path=/; max-age=" + 60 * 60 * 24 * 395 + "; SameSite=Lax";
  document.documentElement.setAttribute("data-analytics-ran", "true");
})();
