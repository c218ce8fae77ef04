// The Buy dialog: a Buy button loads its confirmation (hx-get) into the page's one <dialog>,
// which opens once it arrives. Without JavaScript the same link opens the confirmation as its
// own page. Loading it on demand keeps every card's markup small.
const dialog = () => document.getElementById("buy-dialog");

document.addEventListener("click", (event) => {
  const open = event.target.closest("[data-buy-open]");
  if (open) {
    dialog()?.setAttribute("aria-label", open.dataset.buyLabel || "Buy");
    return;
  }
  // A click on the backdrop (the dialog element itself, outside its content) cancels.
  if (event.target.matches?.("[data-buy-dialog]")) event.target.close();
});

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target?.matches?.("[data-buy-dialog]") && !target.open) target.showModal();
});

// Continue opens the platform in a new tab; close the dialog behind it.
document.addEventListener("submit", (event) => {
  if (!event.target.matches("[data-buy-confirm]")) return;
  const open = event.target.closest("[data-buy-dialog]");
  if (open) setTimeout(() => open.close(), 0);
});
