// The header's menu on narrow screens: the Menu button shows and hides the main navigation.
// Delegated from the document, so it keeps working after htmx swaps the page body.
function toggle(button, open) {
  button.setAttribute("aria-expanded", String(open));
  button.closest(".site-header")?.classList.toggle("site-header--open", open);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-menu-toggle]");
  if (button) {
    toggle(button, button.getAttribute("aria-expanded") !== "true");
    return;
  }
  // A click anywhere outside an open menu closes it.
  const open = document.querySelector('[data-menu-toggle][aria-expanded="true"]');
  if (open && !event.target.closest("#site-nav")) toggle(open, false);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector('[data-menu-toggle][aria-expanded="true"]');
  if (open) {
    toggle(open, false);
    open.focus();
  }
});
