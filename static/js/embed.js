// The embeddable player (/embed/tracks/<id>/): one track, play/pause, a seekable waveform.
import { PlayCounter, playUrl } from "./plays.js";
import { drawWaveform, formatTime, parsePeaks, setProgress } from "./waveform.js";

const root = document.querySelector("[data-embed-player]");
if (root) {
  const audio = root.querySelector("[data-embed-audio]");
  const toggle = root.querySelector("[data-embed-toggle]");
  const wave = root.querySelector("[data-embed-waveform]");
  const seek = root.querySelector("[data-embed-seek]");
  const title = toggle.getAttribute("aria-label").replace(/^Play /, "");
  const counter = new PlayCounter(() => playUrl(Number(root.dataset.trackId)));
  counter.reset({ id: root.dataset.trackId });

  drawWaveform(wave, parsePeaks(wave.dataset.peaks));

  const render = () => {
    const duration = Number.isFinite(audio.duration) ? audio.duration : 0;
    setProgress(wave, duration ? audio.currentTime / duration : 0,
      `${formatTime(audio.currentTime)} of ${formatTime(duration)}`);
    root.querySelector("[data-embed-elapsed]").textContent = formatTime(audio.currentTime);
    root.querySelector("[data-embed-duration]").textContent = formatTime(duration);
  };
  const sync = () => {
    root.classList.toggle("is-playing", !audio.paused);
    toggle.setAttribute("aria-label", `${audio.paused ? "Play" : "Pause"} ${title}`);
  };
  const togglePlay = () => {
    if (audio.paused) audio.play().catch(() => {});
    else audio.pause();
  };
  const seekTo = (seconds) => {
    if (Number.isFinite(audio.duration)) audio.currentTime = Math.min(Math.max(seconds, 0), audio.duration - 0.05);
  };

  toggle.addEventListener("click", togglePlay);
  seek.addEventListener("input", () => seekTo((Number(seek.value) / Number(seek.max)) * audio.duration));
  audio.addEventListener("play", sync);
  audio.addEventListener("pause", () => { counter.pause(); sync(); });
  audio.addEventListener("seeking", () => counter.pause());
  audio.addEventListener("loadedmetadata", render);
  audio.addEventListener("timeupdate", () => {
    render();
    if (!audio.paused) counter.tick(audio.currentTime);
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, button, textarea, select")) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePlay();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      seekTo(audio.currentTime + (event.key === "ArrowRight" ? 5 : -5));
    }
  });
}
