// Live reload for `policysite serve`. The dev server adds this script to
// every page it serves; `policysite build` never does.
//
// Events (Server-Sent Events on /_policysite/events):
//   hello        {server, build, navigate}  sent on every (re)connection
//   reload       {paths, all, edited} pages whose HTML changed
//   css          {css: [{old, new, integrity}]} stylesheets to swap
//   build-error  {errors: [{file, line, message}]} show the overlay
//   build-ok     {} remove the overlay
//   build-warnings {errors: [{message}]} show the build's warnings in the
//                overlay, as `policysite build` prints them; none: remove it
(() => {
  "use strict";
  const scrollKey = "policysite-scroll:" + location.pathname;
  const overlayID = "policysite-build-errors";
  let server = null;
  let navigate = false;
  // The build this page came from, from the Server-Timing header
  // (browsers expose it on localhost and other secure origins).
  const nav = performance.getEntriesByType("navigation")[0];
  const timing = nav && nav.serverTiming ? nav.serverTiming.find((e) => e.name === "build") : null;
  let loadedBuild = timing ? timing.description : null;

  // Put the page back where it was before the reload.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = JSON.parse(saved);
    // "instant": the theme may ask for smooth scrolling, which would
    // visibly scroll down from the top after every reload.
    const restore = () => window.scrollTo({ left: x, top: y, behavior: "instant" });
    if (document.readyState === "complete") {
      restore();
    } else {
      window.addEventListener("load", restore, { once: true });
    }
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function hideErrors() {
    const old = document.getElementById(overlayID);
    if (old) {
      old.remove();
    }
  }

  // showErrors shows the build's errors or, with warning set, its
  // warnings, which do not stop the page from being shown.
  function showErrors(errors, warning) {
    hideErrors();
    if (warning && errors.length === 0) {
      return;
    }
    const box = document.createElement("div");
    box.id = overlayID;
    box.dataset.kind = warning ? "warnings" : "errors";
    box.setAttribute("role", warning ? "status" : "alert");
    box.style.cssText = "all:initial;position:fixed;z-index:2147483647;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
      "font:14px/1.5 ui-monospace,monospace;padding:12px 16px;box-sizing:border-box;" +
      (warning ? "background:#2b2205;color:#fff6dc;border-top:4px solid #f5a524" : "background:#2b0b0b;color:#ffecec;border-top:4px solid #e5484d");
    const title = document.createElement("div");
    title.style.cssText = "all:initial;display:block;font:bold 14px/1.5 ui-monospace,monospace;margin-bottom:6px;color:" + (warning ? "#ffd97a" : "#ffb3b3");
    title.textContent = warning
      ? (errors.length === 1 ? "Built with 1 warning" : "Built with " + errors.length + " warnings") + ", as `policysite build` reports them:"
      : "Build failed – the last good version is shown. Fix the file and save.";
    box.append(title);
    for (const e of errors) {
      const line = document.createElement("div");
      line.className = "policysite-build-error";
      line.style.cssText = "all:initial;display:block;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;color:" + (warning ? "#fff6dc" : "#ffecec");
      let where = e.file || "";
      if (where && e.line) {
        where += ":" + e.line;
      }
      line.textContent = (where ? where + ": " : "") + e.message;
      box.append(line);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText = "all:initial;position:absolute;top:6px;right:12px;cursor:pointer;color:inherit;font:20px/1 sans-serif";
    close.addEventListener("click", hideErrors);
    box.append(close);
    document.body.append(box);
  }

  // Swap a stylesheet without a reload: add the new one, then remove
  // the old one once the new one applies, so the page does not flash.
  function swapCSS(list) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const path = new URL(link.href, location.href).pathname;
      const swap = list.find((s) => s.old === path);
      if (!swap) {
        continue;
      }
      const next = link.cloneNode();
      next.href = swap.new;
      if (swap.integrity) {
        next.integrity = swap.integrity;
      } else {
        next.removeAttribute("integrity");
      }
      next.addEventListener("load", () => link.remove(), { once: true });
      link.after(next);
    }
  }

  function connect() {
    const es = new EventSource("/_policysite/events");
    es.addEventListener("hello", (ev) => {
      const d = JSON.parse(ev.data);
      // A different server process may have missed edits: reload.
      if (server !== null && server !== d.server) {
        reload();
        return;
      }
      // An edit saved while this page loaded: its event was missed.
      if (loadedBuild !== null && d.build && String(d.build) !== loadedBuild) {
        reload();
        return;
      }
      loadedBuild = null;
      server = d.server;
      navigate = !!d.navigate;
      hideErrors();
      // Lets tests and tools see that live reload is active.
      document.documentElement.dataset.policysiteLive = "connected";
    });
    es.addEventListener("reload", (ev) => {
      const d = JSON.parse(ev.data);
      if (navigate && d.edited && d.edited !== location.pathname) {
        location.assign(d.edited);
        return;
      }
      // The review reports (/_review/) depend on every page: any rebuild
      // may change them.
      if (d.all || (d.paths || []).includes(location.pathname) || location.pathname.startsWith("/_review/")) {
        reload();
      }
    });
    es.addEventListener("css", (ev) => swapCSS(JSON.parse(ev.data).css || []));
    es.addEventListener("build-error", (ev) => showErrors(JSON.parse(ev.data).errors || [], false));
    es.addEventListener("build-warnings", (ev) => showErrors(JSON.parse(ev.data).errors || [], true));
    es.addEventListener("build-ok", hideErrors);
    es.onerror = () => {
      // The browser retries by itself unless the stream was refused.
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }
  connect();
})();
