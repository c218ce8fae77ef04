// Browse on narrow screens: "Filters (n)" opens the filter form as a modal <dialog> over the
// results. showModal() makes the page behind inert and Esc close it (the button gets focus back);
// Tab past the last control would leave for the browser's own UI, so it wraps to the first here.
// On wide screens the same closed dialog is the sidebar (site.css).
// Delegated from the document, so it keeps working after htmx swaps the results or the page.
const dialog = () => document.querySelector("[data-filters-dialog]");
const WIDE = window.matchMedia("(min-width: 1001px)");
let refocusUntil = 0; // closed by Apply: the toggle it focused is about to be swapped for a new one (or two)

function syncToggles() {
  const open = Boolean(dialog()?.open);
  for (const button of document.querySelectorAll("[data-filters-open]")) {
    button.setAttribute("aria-expanded", String(open));
  }
}

function open() {
  const box = dialog();
  if (!box || box.open || WIDE.matches) return;
  box.showModal();
  box.querySelector("[data-filters-close]")?.focus();
  syncToggles();
}

function close() {
  const box = dialog();
  if (box?.open) box.close(); // the "close" handler below hands focus back
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-filters-open]")) open();
  else if (event.target.closest("[data-filters-close]")) close();
  else if (event.target === dialog()) close(); // the backdrop: the dialog's own box, outside the form
});

// "close" does not bubble: listen in the capture phase. Esc, Done, Apply and the backdrop all end here.
document.addEventListener("close", (event) => {
  if (event.target !== dialog()) return;
  syncToggles();
  document.querySelector("[data-filters-open]")?.focus();
}, true);

const TABBABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), "
  + "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

document.addEventListener("keydown", (event) => {
  const box = dialog();
  if (event.key !== "Tab" || !box?.open) return;
  const stops = Array.from(box.querySelectorAll(TABBABLE)).filter((element) => element.getClientRects().length);
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  } else if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  }
});

document.addEventListener("submit", (event) => {
  if (!event.target.closest("[data-filters-dialog]") || !dialog().open) return;
  refocusUntil = Date.now() + 5000;
  close();
});

// Grown past the drawer's width (a rotated tablet): the dialog is the sidebar again.
WIDE.addEventListener("change", () => { if (WIDE.matches) close(); });

// The results (and with them the toggle) are swapped after every change: keep the toggle's state true.
document.addEventListener("htmx:afterSwap", () => {
  syncToggles();
  const lost = !document.activeElement || document.activeElement === document.body;
  if (lost && Date.now() < refocusUntil && !dialog()?.open) document.querySelector("[data-filters-open]")?.focus();
});
