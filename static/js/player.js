// The global preview player: any [data-play] button plays its track here.
const player = document.querySelector("[data-player]");
const audio = player?.querySelector("[data-player-audio]");
const toggle = player?.querySelector("[data-player-toggle]");

function show(button) {
  player.hidden = false;
  player.querySelector("[data-player-title]").textContent = button.dataset.title;
  player.querySelector("[data-player-title]").href = button.dataset.url;
  player.querySelector("[data-player-artist]").textContent = button.dataset.artist;
  const cover = player.querySelector("[data-player-cover]");
  cover.src = button.dataset.cover || "";
  cover.hidden = !button.dataset.cover;
}

function syncToggle() {
  const playing = !audio.paused;
  toggle.textContent = playing ? "❚❚" : "▶";
  toggle.setAttribute("aria-label", playing ? "Pause" : "Play");
}

if (player && audio) {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-play]");
    if (!button) return;
    event.preventDefault();
    const src = new URL(button.dataset.src, location.href).href;
    if (audio.src !== src) {
      audio.src = src;
      show(button);
    }
    audio.paused ? audio.play() : audio.pause();
  });
  toggle.addEventListener("click", () => (audio.paused ? audio.play() : audio.pause()));
  audio.addEventListener("play", syncToggle);
  audio.addEventListener("pause", syncToggle);
}
