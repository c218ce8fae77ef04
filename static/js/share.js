// "Copy embed code" on the track page; delegated so it works after htmx page swaps too.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-embed]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyEmbed);
  const status = button.parentElement.querySelector("[data-copy-status]");
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = "Copied to the clipboard.";
  } catch {
    if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected code.";
  }
});
