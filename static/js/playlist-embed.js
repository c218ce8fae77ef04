// The embeddable playlist player (/embed/playlists/<id>/): press a track to play it; each one ends into the next.
const root = document.querySelector("[data-embed-playlist]");
if (root) {
  const audio = root.querySelector("[data-embed-audio]");
  const buttons = [...root.querySelectorAll("[data-embed-track]")];
  let index = -1;

  const sync = () => buttons.forEach((button, i) => {
    button.setAttribute("aria-pressed", String(i === index && !audio.paused));
  });
  const playAt = (i) => {
    if (i < 0 || i >= buttons.length) return;
    if (i === index) {
      if (audio.paused) audio.play().catch(() => {});
      else audio.pause();
      return;
    }
    index = i;
    audio.src = buttons[i].dataset.src;
    audio.play().catch(() => {});
  };
  buttons.forEach((button, i) => button.addEventListener("click", () => playAt(i)));
  audio.addEventListener("ended", () => playAt(index + 1));
  audio.addEventListener("play", sync);
  audio.addEventListener("pause", sync);
}
