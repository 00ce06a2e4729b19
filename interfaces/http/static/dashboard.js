// The dashboard's live updates: the only script the page loads.
//
// It listens to the project's event stream (server-sent events, resumed by the browser
// after the last position it had) and, a moment after events arrive, fetches the same page
// again from the server and swaps in the parts marked `data-live`. The server renders
// everything, so names, hidden results and escaping are decided in one place; forms and
// the keyboard focus are left where they are. Updates are announced politely in the page's
// status region, and a button pauses and resumes them (WCAG 2.2.2).
(() => {
  "use strict";
  const main = document.getElementById("main");
  const toggle = document.getElementById("live-toggle");
  const state = document.getElementById("live-state");
  const announce = document.getElementById("live");
  if (!main || !main.dataset.stream || !toggle || !state || !announce || !window.EventSource) {
    return;
  }
  const types = (main.dataset.events || "").split(" ").filter(Boolean);
  const since = main.dataset.since || "0";
  const WAIT_MS = 300; // gather a burst of events into one refresh
  let source = null;
  let lastId = since;
  let timer = null;
  let arrived = [];
  let paused = false;

  const words = (type) => {
    const text = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    return text.charAt(0).toUpperCase() + text.slice(1);
  };

  function pageUrl() {
    const url = new URL(window.location.href);
    url.hash = "";
    url.searchParams.set("since", since);
    return url.toString();
  }

  function focusKey(element) {
    return element && element.closest("[data-live]") ? element.getAttribute("aria-label") : null;
  }

  async function refresh() {
    timer = null;
    const happened = arrived;
    arrived = [];
    let response;
    try {
      response = await fetch(pageUrl(), { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      state.textContent = "Live updates could not reach the server; they will try again.";
      return;
    }
    if (!response.ok || paused) {
      return;
    }
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const focused = focusKey(document.activeElement);
    for (const part of document.querySelectorAll("[data-live]")) {
      const next = fresh.querySelector(`[data-live="${part.dataset.live}"]`);
      if (next) {
        // copied first: adopting a node takes it out of the live list being read
        const nodes = Array.from(next.childNodes);
        part.replaceChildren(...nodes.map((n) => document.adoptNode(n)));
      }
    }
    if (focused) {
      const again = document.querySelector(`[data-live] [aria-label="${CSS.escape(focused)}"]`);
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
    const shown = [...new Set(happened)].slice(0, 3).map(words).join(", ");
    const at = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    announce.textContent = `Updated at ${at}: ${shown}.`;
  }

  function arrive(event) {
    if (paused) {
      return;
    }
    lastId = event.lastEventId || lastId;
    arrived.push(event.type);
    if (timer === null) {
      timer = window.setTimeout(refresh, WAIT_MS);
    }
  }

  function open() {
    source = new EventSource(`${main.dataset.stream}?after=${encodeURIComponent(lastId)}`);
    for (const type of types) {
      source.addEventListener(type, arrive);
    }
    source.onopen = () => {
      state.textContent = "Live: this page updates as events are recorded.";
    };
    source.onerror = () => {
      state.textContent = "Live updates reconnecting\u2026";
    };
  }

  function pause() {
    paused = true;
    if (source) {
      source.close();
      source = null;
    }
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    arrived = [];
    toggle.textContent = "Resume live updates";
    state.textContent = "Live updates paused.";
  }

  function resume() {
    paused = false;
    toggle.textContent = "Pause live updates";
    open(); // from the last event seen: whatever came while paused arrives now
  }

  toggle.addEventListener("click", () => (paused ? resume() : pause()));
  toggle.hidden = false;
  open();
})();
