// Boosted navigation (htmx's hx-boost: links and forms load the next page into <body>, so the
// player keeps playing), set up as it is used instead of for every link at load.
//
// With hx-boost on <body>, htmx processed each of a page's ~200 links on DOMContentLoaded (four
// events and a listener apiece): the longest task of a page load on a phone. Instead, a link is
// handed to htmx when it is clicked — in the capture phase, before the click reaches it, so the
// listener htmx adds still sees this click — and forms, which htmx processes at load anyway, are
// marked just before it does. A container with data-hx-boost (true or false) keeps htmx's own rule.
const htmx = () => window.htmx;
const governed = (element) => element.closest("[data-hx-boost], [hx-boost]");
const VERB = /^(data-)?hx-(get|post|put|patch|delete)$/;
const hasVerb = (element) => Array.from(element.attributes).some((attribute) => VERB.test(attribute.name));

function boostLink(link) {
  if (!htmx() || governed(link) || hasVerb(link) || link.origin !== location.origin) return;
  if ((link.target && link.target !== "_self") || link.hasAttribute("download")) return;
  if ((link.getAttribute("href") || "").startsWith("#")) return;
  link.setAttribute("data-hx-boost", "true");
  htmx().process(link);
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (link) boostLink(link);
}, true);

// Forms: htmx inits every form it finds; this runs first, so it boosts the ones no container governs.
document.addEventListener("htmx:beforeProcessNode", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && !governed(form) && !hasVerb(form)) form.setAttribute("data-hx-boost", "true");
});
