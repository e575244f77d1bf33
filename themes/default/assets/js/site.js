// Site behaviour for the default theme: the two-level header menu
// (disclosure pattern, with drill-down on narrow screens), the
// region/language switcher and the policy table of contents.
//
// Everything here is progressive enhancement: without JavaScript the
// switcher is a plain <details> and noscript.css lays the menu out open.
// The file runs deferred and touches no cookies or storage.
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 768px)");

  // ---------------------------------------------------------------- menu

  function initMenu(nav) {
    var toggle = nav.querySelector(".menu-toggle");
    var menu = nav.querySelector(".menu");
    if (!menu) {
      return null;
    }
    var buttons = Array.prototype.slice.call(menu.querySelectorAll(":scope > .menu-item > .menu-button"));
    var tops = Array.prototype.slice.call(menu.querySelectorAll(":scope > .menu-item > .menu-button, :scope > .menu-item > .menu-link"));

    function panelOf(button) {
      return document.getElementById(button.getAttribute("aria-controls"));
    }

    function linksOf(button) {
      return Array.prototype.slice.call(panelOf(button).querySelectorAll(".submenu-list a"));
    }

    function openButton() {
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].getAttribute("aria-expanded") === "true") {
          return buttons[i];
        }
      }
      return null;
    }

    function setOpen(button, open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.parentNode.classList.toggle("is-open", open);
    }

    // closeAll closes every group; focusTarget, if given, gets focus.
    function closeAll(focusTarget) {
      buttons.forEach(function (b) { setOpen(b, false); });
      menu.classList.remove("is-drilled");
      if (focusTarget) {
        focusTarget.focus();
      }
    }

    function openGroup(button, focus) {
      buttons.forEach(function (b) {
        if (b !== button) {
          setOpen(b, false);
        }
      });
      setOpen(button, true);
      // On narrow screens the open group replaces the top level (drill
      // down), so focus must move into it or it would sit on a hidden button.
      menu.classList.toggle("is-drilled", narrow.matches);
      if (focus === "first" || (narrow.matches && !focus)) {
        var back = panelOf(button).querySelector(".menu-back");
        var links = linksOf(button);
        (narrow.matches && !focus ? back : links[0]).focus();
      } else if (focus === "last") {
        var all = linksOf(button);
        all[all.length - 1].focus();
      }
    }

    function setToggle(open) {
      if (!toggle) {
        return;
      }
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      var label = toggle.querySelector(".menu-toggle-label");
      if (label) {
        label.textContent = open ? toggle.getAttribute("data-close-label") : toggle.getAttribute("data-open-label");
      }
      if (!open) {
        closeAll(null);
      }
    }

    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        setToggle(open);
        if (open) {
          // Focus stays on the toggle (disclosure pattern); the menu
          // follows it in the tab order.
          document.dispatchEvent(new CustomEvent("ps:menuopen"));
        }
      });
    }

    buttons.forEach(function (button, index) {
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-expanded") === "true") {
          closeAll(null);
        } else {
          document.dispatchEvent(new CustomEvent("ps:menuopen"));
          // A pointer click keeps focus on the button on wide screens.
          openGroup(button, narrow.matches ? null : "none");
        }
      });
      button.addEventListener("keydown", function (e) {
        switch (e.key) {
          case "ArrowDown":
            if (narrow.matches) {
              moveTop(index, 1);
            } else {
              openGroup(button, "first");
            }
            break;
          case "ArrowUp":
            if (narrow.matches) {
              moveTop(index, -1);
            } else {
              openGroup(button, "last");
            }
            break;
          case "ArrowRight":
          case "ArrowLeft":
            if (narrow.matches) {
              return;
            }
            moveTop(index, (e.key === "ArrowRight") === (getComputedStyle(menu).direction !== "rtl") ? 1 : -1);
            break;
          case "Home":
            tops[0].focus();
            break;
          case "End":
            tops[tops.length - 1].focus();
            break;
          default:
            return;
        }
        e.preventDefault();
      });

      var panel = panelOf(button);
      var back = panel.querySelector(".menu-back");
      if (back) {
        back.addEventListener("click", function () {
          closeAll(button);
        });
      }
      panel.addEventListener("keydown", function (e) {
        var links = linksOf(button);
        var i = links.indexOf(document.activeElement);
        var next = null;
        switch (e.key) {
          case "ArrowDown":
            next = links[(i + 1) % links.length];
            break;
          case "ArrowUp":
            next = links[(i - 1 + links.length) % links.length];
            break;
          case "Home":
            next = links[0];
            break;
          case "End":
            next = links[links.length - 1];
            break;
          default:
            return;
        }
        e.preventDefault();
        next.focus();
      });
    });

    // moveTop moves focus between top-level entries, closing the open
    // group the way a menubar would.
    function moveTop(index, delta) {
      var current = tops.indexOf(buttons[index]);
      var next = tops[(current + delta + tops.length) % tops.length];
      next.focus();
    }

    nav.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") {
        return;
      }
      var open = openButton();
      if (open) {
        // Escape closes the group and returns focus to its button.
        closeAll(open);
        e.preventDefault();
      } else if (toggle && toggle.getAttribute("aria-expanded") === "true") {
        setToggle(false);
        toggle.focus();
        e.preventDefault();
      }
    });

    // Leaving the menu with Tab or a click elsewhere closes it.
    nav.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !nav.contains(e.relatedTarget)) {
        closeAll(null);
        if (narrow.matches) {
          setToggle(false);
        }
      }
    });
    document.addEventListener("click", function (e) {
      if (!nav.contains(e.target)) {
        closeAll(null);
        if (narrow.matches) {
          setToggle(false);
        }
      }
    });
    narrow.addEventListener("change", function () {
      setToggle(false);
    });

    return {
      close: function () {
        closeAll(null);
        setToggle(false);
      }
    };
  }

  // ------------------------------------------------------------ switcher

  function initSwitcher(details) {
    var summary = details.querySelector("summary");
    var close = details.querySelector(".switcher-close");
    function shut(focus) {
      details.open = false;
      if (focus) {
        summary.focus();
      }
    }
    if (close) {
      close.addEventListener("click", function () { shut(true); });
    }
    details.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && details.open) {
        e.preventDefault();
        shut(true);
      }
    });
    details.addEventListener("toggle", function () {
      if (details.open) {
        document.dispatchEvent(new CustomEvent("ps:switcheropen"));
        var current = details.querySelector('.locale-list a[aria-current="true"]');
        if (current) {
          current.scrollIntoView({ block: "nearest" });
        }
      }
    });
    details.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !details.contains(e.relatedTarget)) {
        shut(false);
      }
    });
    document.addEventListener("click", function (e) {
      if (details.open && !details.contains(e.target)) {
        shut(false);
      }
    });
    return { close: function () { shut(false); } };
  }

  // ----------------------------------------------------------------- TOC

  // Marks the table-of-contents entry of the section being read.
  function initTOC(toc) {
    if (!("IntersectionObserver" in window)) {
      return;
    }
    var links = {};
    toc.querySelectorAll('a[href^="#"]').forEach(function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && links[entry.target.id]) {
          if (current) {
            current.classList.remove("is-current");
          }
          current = links[entry.target.id];
          current.classList.add("is-current");
        }
      });
    }, { rootMargin: "-10% 0px -75% 0px" });
    Object.keys(links).forEach(function (id) {
      var h = document.getElementById(id);
      if (h) {
        observer.observe(h);
      }
    });
  }

  // Section anchors: a "#" after each numbered heading for copying a
  // link with the mouse. Keyboard and screen-reader users already have
  // the table of contents, so the anchors stay out of the tab order.
  function initAnchors(body) {
    body.querySelectorAll("h2[id], h3[id]").forEach(function (h) {
      var a = document.createElement("a");
      a.className = "heading-anchor";
      a.href = "#" + h.id;
      a.textContent = "#";
      a.setAttribute("aria-hidden", "true");
      a.tabIndex = -1;
      h.appendChild(a);
    });
  }

  var nav = document.querySelector(".main-nav");
  var details = document.querySelector(".switcher");
  var menu = nav ? initMenu(nav) : null;
  var switcher = details ? initSwitcher(details) : null;
  // Only one header panel is open at a time.
  document.addEventListener("ps:menuopen", function () {
    if (switcher) {
      switcher.close();
    }
  });
  document.addEventListener("ps:switcheropen", function () {
    if (menu) {
      menu.close();
    }
  });
  var toc = document.querySelector(".toc");
  if (toc) {
    initTOC(toc);
  }
  var body = document.querySelector(".policy-body");
  if (body) {
    initAnchors(body);
  }
})();
