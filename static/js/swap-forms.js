// Heart and follow buttons: post the small form in the background and swap in the server's
// fresh partial (the same template the page rendered). Without JS the form posts normally.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-swap-form]");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.firstElementChild;
    form.replaceWith(fresh);
    fresh.querySelector("button")?.focus();
  } catch (error) {
    form.removeAttribute("data-swap-form");
    form.submit();
  }
});
