// Browse on narrow screens: "Filters (n)" opens the filter form as a drawer over the results.
// Delegated from the document, so it keeps working after htmx swaps the results or the page.
const form = () => document.getElementById("filters");

function setOpen(open, { focus = true } = {}) {
  const filters = form();
  if (!filters) return;
  filters.classList.toggle("is-open", open);
  for (const button of document.querySelectorAll("[data-filters-open]")) {
    button.setAttribute("aria-expanded", String(open));
  }
  if (!focus) return;
  if (open) filters.querySelector("[data-filters-close]")?.focus();
  else document.querySelector("[data-filters-open]")?.focus();
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-filters-open]")) setOpen(true);
  else if (event.target.closest("[data-filters-close]")) setOpen(false);
  else if (form()?.classList.contains("is-open") && !event.target.closest("#filters")) setOpen(false, { focus: false });
});

document.addEventListener("submit", (event) => {
  if (event.target === form() && form().classList.contains("is-open")) setOpen(false);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && form()?.classList.contains("is-open")) setOpen(false);
});

// The results (and with them the toggle) are swapped after every change: keep the toggle's state true.
document.addEventListener("htmx:afterSwap", () => {
  const open = Boolean(form()?.classList.contains("is-open"));
  for (const button of document.querySelectorAll("[data-filters-open]")) {
    button.setAttribute("aria-expanded", String(open));
  }
});
