// htmx, loaded when a visitor first reaches for the page, and boosted navigation (htmx's
// hx-boost: links and forms load the next page into <body>, so the player keeps playing) set up
// link by link as they are used.
//
// Parsing htmx and processing the page took the longest tasks of a page load on a phone, for a
// library only interactions need: every link and form works without it. So base.html keeps
// htmx's <script> in an inert <template>, and this module inserts it at the first pointer,
// touch, key or focus (once the page has loaded: htmx initialises on DOMContentLoaded or a
// complete document). An htmx action tried before that (a vote, a Buy button, a filter, a
// boosted link or form) is held and replayed once htmx is there, so nothing is lost.
//
// With hx-boost on <body>, htmx also processed each of a page's ~200 links (four events and a
// listener apiece). Instead a link is handed to htmx when it is clicked — in the capture phase,
// before the click reaches it, so the listener htmx adds still sees this click — and forms,
// which htmx processes anyway, are marked just before it does. A container with data-hx-boost
// (true or false) keeps htmx's own rule.
const VERBS = ["get", "post", "put", "patch", "delete"];
const VERB_SELECTOR = VERBS.map((verb) => `[hx-${verb}], [data-hx-${verb}]`).join(", ");
const VERB = /^(data-)?hx-(get|post|put|patch|delete)$/;
const hasVerb = (element) => Array.from(element.attributes).some((attribute) => VERB.test(attribute.name));
const governed = (element) => element.closest("[data-hx-boost], [hx-boost]");
const ready = () => Boolean(window.htmx);

function boostable(link) {
  if (governed(link) || hasVerb(link) || link.origin !== location.origin) return false;
  if ((link.target && link.target !== "_self") || link.hasAttribute("download")) return false;
  return !(link.getAttribute("href") || "").startsWith("#");
}

function boostLink(link) {
  if (!boostable(link)) return;
  link.setAttribute("data-hx-boost", "true");
  window.htmx.process(link);
}

// --- Loading htmx ------------------------------------------------------------------------------
let loading = null;
const held = [];

function insertHtmx() {
  const template = document.getElementById("htmx-scripts");
  if (!template) return Promise.resolve();
  const scripts = Array.from(document.importNode(template.content, true).querySelectorAll("script"));
  return Promise.all(scripts.map((script) => new Promise((resolve) => {
    script.async = false; // in order, as the <template> lists them
    script.addEventListener("load", resolve);
    script.addEventListener("error", resolve);
    document.head.append(script);
  })));
}

function loadHtmx() {
  if (!loading) {
    const loaded = document.readyState === "complete"
      ? Promise.resolve()
      : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
    loading = loaded.then(insertHtmx).then(replay);
  }
  return loading;
}

function replay() {
  for (const action of held.splice(0)) {
    if (action.element.isConnected) action.run();
  }
}

function hold(event, run) {
  event.preventDefault();
  event.stopImmediatePropagation(); // the replay is the real event, for every listener
  held.push({ element: event.target, run });
  loadHtmx();
}

for (const type of ["pointerover", "pointerdown", "touchstart", "keydown", "focusin"]) {
  document.addEventListener(type, loadHtmx, { capture: true, once: true, passive: true });
}

// --- Actions before htmx is there, and boosted links once it is ---------------------------------
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const link = target.closest("a[href]");
  if (ready()) {
    if (link) boostLink(link);
    return;
  }
  if (document.readyState !== "complete") return; // still loading: links and forms work as they are
  const action = target.closest(VERB_SELECTOR);
  if (action && !(action instanceof HTMLFormElement)) {
    hold(event, () => action.click()); // a Buy link, a favourite or follow button…
  } else if (link && boostable(link)) {
    hold(event, () => link.click());
  }
}, true);

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (ready() || !(form instanceof HTMLFormElement) || document.readyState !== "complete") return;
  const get = (form.getAttribute("method") || "get").toLowerCase() === "get";
  if (!hasVerb(form) && (governed(form) || !get)) return; // a plain POST form is posted as it is
  const submitter = event.submitter;
  // htmx reads the pressed button from its own click tracking: replay the click, not the submit.
  hold(event, () => (submitter?.isConnected ? submitter.click() : form.requestSubmit()));
}, true);

document.addEventListener("change", (event) => {
  const target = event.target;
  if (ready() || !(target instanceof Element) || !target.closest("[hx-trigger], [data-hx-trigger]")) return;
  event.stopImmediatePropagation();
  held.push({ element: target, run: () => target.dispatchEvent(new Event("change", { bubbles: true })) });
  loadHtmx();
}, true);

// Forms: htmx inits every form it finds; this runs first, so it boosts the ones no container governs.
document.addEventListener("htmx:beforeProcessNode", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && !governed(form) && !hasVerb(form)) form.setAttribute("data-hx-boost", "true");
});
