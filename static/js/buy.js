// The Buy dialog: the Buy link opens its confirmation in a native <dialog>. Without
// JavaScript the same link opens the confirmation as its own page.
document.addEventListener("click", (event) => {
  const open = event.target.closest("[data-buy-open]");
  if (open) {
    const dialog = open.closest("[data-buy]")?.querySelector("[data-buy-dialog]");
    if (!dialog || typeof dialog.showModal !== "function") return; // follow the link instead
    event.preventDefault();
    dialog.showModal();
    return;
  }
  // A click on the backdrop (the dialog element itself, outside its content) cancels.
  if (event.target.matches?.("[data-buy-dialog]")) event.target.close();
});

// Continue opens the platform in a new tab; close the dialog behind it.
document.addEventListener("submit", (event) => {
  if (!event.target.matches("[data-buy-confirm]")) return;
  const dialog = event.target.closest("[data-buy-dialog]");
  if (dialog) setTimeout(() => dialog.close(), 0);
});
