// "Save to playlist" in the player: fetches the menu for the track playing (/playlists/menu/?track=<id>)
// into the player's popover; htmx then handles its forms as it does the cards' menus.
import { trackId } from "./queue.js";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-player-save]");
  if (!button) return;
  const panel = document.getElementById(button.getAttribute("aria-controls"));
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  panel.hidden = open;
  if (open) return;
  const link = document.querySelector("[data-player-title]");
  const id = trackId({ url: link?.getAttribute("href") || "" });
  if (!id) {
    panel.textContent = "Play a track first.";
    return;
  }
  const response = await fetch(`/playlists/menu/?track=${id}`, { headers: { Accept: "text/html" } });
  panel.innerHTML = response.ok ? await response.text() : "<p>This track can't be saved.</p>";
  if (window.htmx) window.htmx.process(panel);
});
