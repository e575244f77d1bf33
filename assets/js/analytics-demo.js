// Analytics placeholder for the example site. It makes no network
// request; it only proves that consent gating works: consent.js loads it
// only after the visitor accepts analytics cookies, and then it sets one
// analytics cookie and marks the page (html[data-analytics-ran]).
(function () {
  "use strict";
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "ex_analytics_id=demo; Path=/; Max-Age=" + 60 * 60 * 24 * 395 + "; SameSite=Lax" + secure;
  document.documentElement.setAttribute("data-analytics-ran", "true");
  // A consented script cleans up after itself when its category is
  // withdrawn; consent.js then reloads the page so it stops running.
  document.addEventListener("ps:consentchange", function (e) {
    if (e.detail.categories.indexOf("analytics") < 0) {
      document.cookie = "ex_analytics_id=; Path=/; Max-Age=0; SameSite=Lax" + secure;
    }
  });
})();
