// Cookie consent for the default theme.
//
// partials/consent.html renders a hidden region (#consent) whose data
// attributes configure this script:
//
//   data-mode      "opt-in" (accept / reject / settings) or "notice"
//   data-revision  the cookie policy's revision; a stored choice for
//                  another revision is void and the visitor is asked again
//   data-cookie    the name of the first-party cookie holding the choice
//   data-path      the site's base path, the cookie's Path
//
// The cookie value is "r=<revision>&c=<categories>&m=<mode>", for example
// "r=2026-10&c=necessary.analytics&m=opt-in". It lasts 12 months, is
// SameSite=Lax, and Secure on https.
//
// Scripts that need consent are written as
//   <script type="text/plain" data-category="analytics" data-src="..." data-integrity="...">
// (data-src, not src: HTML does not allow src on a data block, and the
// browser must not fetch the script before consent)
// which browsers neither fetch nor run. Once their category is accepted,
// a real <script> with the same src and integrity is inserted after the
// placeholder. Nothing optional runs before that, and this file itself
// sets no cookie until the visitor chooses.
//
// A "ps:consentchange" event on document carries {categories: [...]} after
// every choice, so consented scripts can clean up when withdrawn.
(function () {
  "use strict";

  var root = document.getElementById("consent");
  if (!root) {
    return;
  }
  var OPTIONAL = ["preferences", "analytics", "marketing"];
  var YEAR = 60 * 60 * 24 * 365;
  var mode = root.getAttribute("data-mode") === "notice" ? "notice" : "opt-in";
  var revision = root.getAttribute("data-revision") || "1";
  var name = root.getAttribute("data-cookie") || "ps_consent";
  var path = root.getAttribute("data-path") || "/";
  var form = root.querySelector(".consent-settings");
  var settingsButton = root.querySelector('[data-consent="settings"]');
  // Categories whose scripts have run on this page; scripts cannot be
  // unloaded, so withdrawing one of them reloads the page.
  var applied = [];
  // Where focus goes back to when the visitor closes a reopened panel.
  var returnFocus = null;

  function read() {
    var pairs = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i].replace(/^\s+/, "");
      if (pair.indexOf(name + "=") !== 0) {
        continue;
      }
      var out = { revision: "", categories: [], mode: "" };
      pair.slice(name.length + 1).split("&").forEach(function (kv) {
        var eq = kv.indexOf("=");
        var k = kv.slice(0, eq);
        var v = kv.slice(eq + 1);
        try {
          v = decodeURIComponent(v);
        } catch (err) {
          return;
        }
        if (k === "r") {
          out.revision = v;
        } else if (k === "c") {
          out.categories = v ? v.split(".") : [];
        } else if (k === "m") {
          out.mode = v;
        }
      });
      return out;
    }
    return null;
  }

  function write(categories) {
    var value = "r=" + encodeURIComponent(revision) +
      "&c=" + ["necessary"].concat(categories).join(".") +
      "&m=" + mode;
    document.cookie = name + "=" + value + "; Path=" + path + "; Max-Age=" + YEAR +
      "; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
  }

  // valid reports whether a stored choice still stands on this page: it
  // must be for the current revision, and an opt-in page needs a real
  // choice, not the acknowledgement of an informational notice.
  function valid(stored) {
    return !!stored && stored.revision === revision && (mode === "notice" || stored.mode === "opt-in");
  }

  function activate(categories) {
    var placeholders = document.querySelectorAll('script[type="text/plain"][data-category]');
    Array.prototype.forEach.call(placeholders, function (p) {
      var cat = p.getAttribute("data-category");
      if (p.hasAttribute("data-activated") || (cat !== "necessary" && categories.indexOf(cat) < 0)) {
        return;
      }
      var s = document.createElement("script");
      s.src = p.getAttribute("data-src");
      var integrity = p.getAttribute("data-integrity");
      if (integrity) {
        s.integrity = integrity;
      }
      s.async = false;
      p.setAttribute("data-activated", "");
      p.parentNode.insertBefore(s, p.nextSibling);
    });
    categories.forEach(function (c) {
      if (applied.indexOf(c) < 0) {
        applied.push(c);
      }
    });
  }

  function setChecks(categories) {
    if (!form) {
      return;
    }
    OPTIONAL.forEach(function (c) {
      var box = form.querySelector('input[data-category="' + c + '"]');
      if (box) {
        box.checked = categories.indexOf(c) >= 0;
      }
    });
  }

  function setSettings(open) {
    if (!form || !settingsButton) {
      return;
    }
    form.hidden = !open;
    settingsButton.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function show(reopened) {
    var stored = read();
    setChecks(valid(stored) ? stored.categories : []);
    setSettings(false);
    root.hidden = false;
    if (reopened) {
      // Opened on request: take focus there so keyboard and screen-reader
      // users land in it. On first load the page keeps focus; the region
      // is the first thing after the skip link.
      returnFocus = document.activeElement;
      root.querySelector(".consent-title").focus();
    }
  }

  function hide() {
    var hadFocus = root.contains(document.activeElement);
    root.hidden = true;
    if (!hadFocus) {
      return;
    }
    if (returnFocus && document.body.contains(returnFocus)) {
      returnFocus.focus();
    } else {
      var main = document.getElementById("main");
      if (main) {
        main.focus({ preventScroll: true });
      }
    }
    returnFocus = null;
  }

  function save(categories) {
    var withdrawn = applied.filter(function (c) { return categories.indexOf(c) < 0; });
    write(categories);
    hide();
    document.dispatchEvent(new CustomEvent("ps:consentchange", { detail: { categories: ["necessary"].concat(categories) } }));
    if (withdrawn.length) {
      location.reload();
      return;
    }
    activate(categories);
  }

  root.addEventListener("click", function (e) {
    var button = e.target.closest("[data-consent]");
    if (!button) {
      return;
    }
    switch (button.getAttribute("data-consent")) {
      case "accept":
        save(OPTIONAL.slice());
        break;
      case "reject":
      case "dismiss":
        save([]);
        break;
      case "settings":
        setSettings(form.hidden);
        break;
    }
  });

  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      save(OPTIONAL.filter(function (c) {
        var box = form.querySelector('input[data-category="' + c + '"]');
        return box && box.checked;
      }));
    });
  }

  // Escape closes a reopened panel without changing the stored choice;
  // a first-time visitor has to choose, so there it does nothing.
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && valid(read())) {
      e.preventDefault();
      hide();
    }
  });

  // Every "Cookie settings" link reopens the panel. Without JavaScript
  // the link leads to the cookie policy's section on changing consent.
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-consent-open]");
    if (link) {
      e.preventDefault();
      show(true);
    }
  });

  var stored = read();
  if (valid(stored)) {
    activate(stored.categories);
  } else {
    show(false);
  }
})();
