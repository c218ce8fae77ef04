// The global preview player. One <audio> inside #player, which htmx keeps (hx-preserve) while
// boosted links swap the rest of the page, so playback never stops on navigation. Any
// [data-play] button plays its track and queues the rest of its list; [data-queue-add] appends.
import { PlayCounter, playUrl } from "./plays.js";
import { Queue, itemFrom, trackId } from "./queue.js";
import { drawWaveform, formatTime, parsePeaks, setProgress } from "./waveform.js";
import "./share.js";

const player = document.querySelector("[data-player]");
const $ = (name) => player.querySelector(`[data-${name}]`);
const LIST = "[data-queue], .track-grid, .track-list";
const SEEK_STEP = 5;
const NOT_A_PAGE = /^\/(admin|api|media|static|embed|feeds|sitemap\.xml|robots\.txt|accounts\/(google|github))(\/|$)/;

if (player && !player.dataset.ready) {
  player.dataset.ready = "true";
  start();
}

function start() {
  const audio = $("player-audio");
  const seek = $("player-seek");
  const wave = $("player-waveform");
  const volume = $("player-volume");
  const status = $("player-status");
  const queue = new Queue();
  const counter = new PlayCounter((item) => playUrl(trackId(item)));
  const peaks = new Map();
  let pendingSeek = null;
  let lastSaved = 0;

  const current = () => queue.current;
  const isCurrent = (src) => Boolean(current()) && current().src === new URL(src, location.href).href;
  const announce = (text) => { status.textContent = text; };

  function play() {
    audio.play().catch((error) => {
      if (error.name === "NotAllowedError") announce("Press play to listen.");
      // AbortError: a newer track replaced this one before it started, nothing to report.
    });
  }

  function toggle() {
    if (!current()) return;
    if (audio.paused) play();
    else audio.pause();
  }

  function seekTo(seconds) {
    if (!Number.isFinite(audio.duration)) {
      pendingSeek = seconds;
      return;
    }
    audio.currentTime = Math.min(Math.max(seconds, 0), Math.max(audio.duration - 0.05, 0));
  }

  async function loadPeaks(item) {
    const id = trackId(item);
    if (!id) return [];
    if (!peaks.has(id)) {
      peaks.set(id, fetch(`/listen/tracks/${id}/waveform/`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { peaks: [] }))
        .then((data) => (Array.isArray(data.peaks) ? data.peaks : []))
        .catch(() => []));
    }
    return peaks.get(id);
  }

  function showTrack(item) {
    player.hidden = false;
    const title = $("player-title");
    title.textContent = item.title || "Untitled";
    title.href = item.url || "#";
    $("player-link").href = item.url || "#";
    $("player-artist").textContent = item.artist || "";
    const cover = $("player-cover");
    cover.hidden = !item.cover;
    if (item.cover) cover.src = item.cover;
    else cover.removeAttribute("src");
    drawWaveform(wave, []);
    loadPeaks(item).then((list) => { if (current() === item) drawWaveform(wave, list); });
    if ("mediaSession" in navigator) {
      navigator.mediaSession.metadata = new MediaMetadata({
        title: item.title, artist: item.artist, album: "aimusicstore preview",
        artwork: item.cover ? [{ src: new URL(item.cover, location.href).href, sizes: "600x600", type: "image/jpeg" }] : [],
      });
    }
  }

  function load(item, { autoplay, time = 0 }) {
    counter.reset(item);
    pendingSeek = time > 0 ? time : null;
    audio.src = item.src;
    showTrack(item);
    renderProgress();
    syncButtons();
    if (autoplay) play();
  }

  function stop() {
    audio.pause();
    audio.removeAttribute("src");
    audio.load();
    player.hidden = true;
    syncButtons();
  }

  function renderProgress() {
    const duration = Number.isFinite(audio.duration) ? audio.duration : 0;
    const time = audio.currentTime || 0;
    const label = `${formatTime(time)} of ${formatTime(duration)}`;
    setProgress(wave, duration ? time / duration : 0, label);
    $("player-elapsed").textContent = formatTime(time);
    $("player-duration").textContent = formatTime(duration);
    document.querySelectorAll("[data-track-waveform]").forEach((box) => {
      if (isCurrent(box.dataset.src)) setProgress(box, duration ? time / duration : 0, label);
    });
  }

  function syncButtons() {
    const playing = !audio.paused && Boolean(current());
    player.classList.toggle("is-playing", playing);
    $("player-toggle").setAttribute("aria-label", playing ? "Pause" : "Play");
    document.querySelectorAll("[data-play]").forEach((button) => {
      const mine = isCurrent(button.dataset.src || "");
      button.setAttribute("aria-pressed", String(mine && playing));
    });
    if ("mediaSession" in navigator) navigator.mediaSession.playbackState = playing ? "playing" : "paused";
  }

  function renderQueue() {
    const list = $("queue-list");
    list.replaceChildren(...queue.items.map((item, index) => queueRow(item, index)));
    $("queue-count").textContent = String(queue.items.length);
    $("queue-empty").hidden = queue.items.length > 0;
    $("player-prev").disabled = queue.index <= 0 && !current();
    $("player-next").disabled = queue.index >= queue.items.length - 1;
  }

  function queueRow(item, index) {
    const row = document.createElement("li");
    row.className = "queue__item";
    row.draggable = true;
    row.dataset.index = String(index);
    if (index === queue.index) row.setAttribute("aria-current", "true");
    const name = item.title || "Untitled";
    const playButton = control("queue__play", `Play ${name} from the queue`, "jump", index);
    const title = document.createElement("span");
    title.className = "queue__name";
    title.textContent = name;
    const artist = document.createElement("small");
    artist.textContent = item.artist || "";
    playButton.append(title, artist);
    row.append(
      playButton,
      control("queue__move", `Move ${name} up`, "up", index, "↑", index === 0),
      control("queue__move", `Move ${name} down`, "down", index, "↓", index === queue.items.length - 1),
      control("queue__remove", `Remove ${name} from the queue`, "remove", index, "×"),
    );
    return row;
  }

  function control(className, label, action, index, text = "", disabled = false) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.setAttribute("aria-label", label);
    button.dataset.queueAction = action;
    button.dataset.index = String(index);
    button.disabled = disabled;
    button.textContent = text;
    return button;
  }

  // --- state changes -----------------------------------------------------------------
  queue.addEventListener("change", (event) => {
    renderQueue();
    if (event.detail.kind !== "track") return;
    if (current()) load(current(), { autoplay: true });
    else stop();
  });

  // --- audio events --------------------------------------------------------------------
  audio.addEventListener("play", syncButtons);
  audio.addEventListener("pause", () => { counter.pause(); syncButtons(); queue.time = audio.currentTime; queue.save(); });
  audio.addEventListener("loadedmetadata", () => {
    if (pendingSeek !== null) {
      const target = pendingSeek;
      pendingSeek = null;
      seekTo(target);
    }
    renderProgress();
  });
  audio.addEventListener("durationchange", renderProgress);
  audio.addEventListener("seeking", () => counter.pause());
  audio.addEventListener("timeupdate", () => {
    renderProgress();
    if (!audio.paused) counter.tick(audio.currentTime);
    if (Math.abs(audio.currentTime - lastSaved) > 2) {
      lastSaved = audio.currentTime;
      queue.time = audio.currentTime;
      queue.save();
    }
    if ("mediaSession" in navigator && Number.isFinite(audio.duration) && audio.duration > 0) {
      navigator.mediaSession.setPositionState({
        duration: audio.duration, position: Math.min(audio.currentTime, audio.duration), playbackRate: audio.playbackRate,
      });
    }
  });
  audio.addEventListener("ended", () => {
    if (!queue.next()) {
      queue.time = 0;
      queue.save();
      syncButtons();
    }
  });
  audio.addEventListener("error", () => {
    if (current() && audio.getAttribute("src")) announce(`“${current().title}” could not be loaded.`);
  });
  audio.addEventListener("volumechange", () => {
    volume.value = String(audio.volume);
    const mute = $("player-mute");
    mute.setAttribute("aria-pressed", String(audio.muted));
    mute.setAttribute("aria-label", audio.muted ? "Unmute" : "Mute");
    player.classList.toggle("is-muted", audio.muted || audio.volume === 0);
    queue.volume = audio.volume;
    queue.muted = audio.muted;
    queue.save();
  });

  // --- player controls -------------------------------------------------------------------
  $("player-toggle").addEventListener("click", toggle);
  $("player-next").addEventListener("click", () => queue.next());
  $("player-prev").addEventListener("click", () => { if (!queue.previous()) seekTo(0); });
  $("player-mute").addEventListener("click", () => { audio.muted = !audio.muted; });
  volume.addEventListener("input", () => { audio.volume = Number(volume.value); audio.muted = false; });
  seek.addEventListener("input", () => {
    if (Number.isFinite(audio.duration)) seekTo((Number(seek.value) / Number(seek.max)) * audio.duration);
  });
  $("queue-toggle").addEventListener("click", () => {
    const panel = $("queue-panel");
    panel.hidden = !panel.hidden;
    $("queue-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  });
  $("queue-clear").addEventListener("click", () => queue.clear());
  $("queue-list").addEventListener("click", (event) => {
    const button = event.target.closest("[data-queue-action]");
    if (!button) return;
    const index = Number(button.dataset.index);
    const action = button.dataset.queueAction;
    if (action === "jump") queue.jump(index);
    else if (action === "up") queue.move(index, index - 1);
    else if (action === "down") queue.move(index, index + 1);
    else if (action === "remove") queue.remove(index);
    if (action === "up" || action === "down") {
      // Keep focus on the moved track's button so keyboard users can keep moving it.
      const to = action === "up" ? index - 1 : index + 1;
      $("queue-list").querySelector(`[data-queue-action="${action}"][data-index="${to}"]`)?.focus();
    }
  });
  let dragFrom = null;
  $("queue-list").addEventListener("dragstart", (event) => {
    const row = event.target.closest(".queue__item");
    dragFrom = row ? Number(row.dataset.index) : null;
    event.dataTransfer.effectAllowed = "move";
  });
  $("queue-list").addEventListener("dragover", (event) => { if (dragFrom !== null) event.preventDefault(); });
  $("queue-list").addEventListener("drop", (event) => {
    const row = event.target.closest(".queue__item");
    if (row && dragFrom !== null) {
      event.preventDefault();
      queue.move(dragFrom, Number(row.dataset.index));
    }
    dragFrom = null;
  });

  // --- play buttons anywhere on the page --------------------------------------------------
  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-queue-add]");
    if (add) {
      event.preventDefault();
      const item = itemFrom(add);
      queue.add(item);
      announce(`Added “${item.title}” to the queue.`);
      return;
    }
    const button = event.target.closest("[data-play]");
    if (!button || !button.dataset.src) return;
    event.preventDefault();
    if (isCurrent(button.dataset.src)) {
      toggle();
      return;
    }
    const list = button.closest(LIST);
    if (!list) {
      queue.playOne(itemFrom(button));
      return;
    }
    const items = [];
    for (const element of list.querySelectorAll("[data-play]")) {
      const item = itemFrom(element);
      if (item.src && !items.some((seen) => seen.src === item.src)) items.push(item);
    }
    const clicked = itemFrom(button);
    queue.playList(items, Math.max(items.findIndex((item) => item.src === clicked.src), 0));
  });

  // The track page waveform: seeking in it plays that track from there.
  document.addEventListener("input", (event) => {
    const box = event.target.closest("[data-track-waveform]");
    if (!box || !event.target.matches("input[type=range]")) return;
    const fraction = Number(event.target.value) / Number(event.target.max);
    if (isCurrent(box.dataset.src)) {
      if (Number.isFinite(audio.duration)) seekTo(fraction * audio.duration);
      if (audio.paused) play();
      return;
    }
    queue.playOne(itemFrom(box));
    audio.addEventListener("loadedmetadata", () => seekTo(fraction * audio.duration), { once: true });
  });

  // --- keyboard: space toggles, arrows seek, unless a control needs those keys --------------
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || !current()) return;
    const target = event.target;
    const typing = target.closest?.("input, textarea, select, [contenteditable]:not([contenteditable=false])");
    if (event.key === " " && !typing && !target.closest?.("button, summary, [role=button]")) {
      event.preventDefault();
      toggle();
    } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && !typing) {
      event.preventDefault();
      seekTo(audio.currentTime + (event.key === "ArrowRight" ? SEEK_STEP : -SEEK_STEP));
    }
  });

  // --- Media Session: lock screen and hardware media keys ---------------------------------
  if ("mediaSession" in navigator) {
    const actions = {
      play: () => play(),
      pause: () => audio.pause(),
      previoustrack: () => { if (!queue.previous()) seekTo(0); },
      nexttrack: () => queue.next(),
      seekbackward: (details) => seekTo(audio.currentTime - (details.seekOffset || SEEK_STEP)),
      seekforward: (details) => seekTo(audio.currentTime + (details.seekOffset || SEEK_STEP)),
      seekto: (details) => seekTo(details.seekTime),
    };
    for (const [action, handler] of Object.entries(actions)) {
      try {
        navigator.mediaSession.setActionHandler(action, handler);
      } catch {
        // This browser does not support that action.
      }
    }
  }

  // --- htmx page swaps ------------------------------------------------------------------------
  const boosted = (element) =>
    (element?.tagName === "A" || element?.tagName === "FORM")
    && !["get", "post", "put", "patch", "delete"].some((verb) => element.hasAttribute(`hx-${verb}`)
      || element.hasAttribute(`data-hx-${verb}`));

  document.addEventListener("htmx:confirm", (event) => {
    const { elt, verb, path } = event.detail;
    if (!boosted(elt)) return;
    if (elt.tagName === "FORM" && verb !== "get") {
      // POSTs (log in, buy, ...) may redirect off-site, which an XHR cannot follow: submit natively.
      event.preventDefault();
      submitNatively(elt, event.detail.triggeringEvent?.submitter);
    } else if (NOT_A_PAGE.test(new URL(path, location.href).pathname)) {
      event.preventDefault();
      location.assign(path);
    }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    // A page without the player (admin, API docs, a bare file) is loaded for real instead.
    if (event.detail.boosted && event.detail.target === document.body
        && !String(event.detail.xhr.responseText).includes('id="player"')) {
      event.detail.shouldSwap = false;
      location.assign(event.detail.xhr.responseURL || event.detail.pathInfo.requestPath);
    }
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    preparePage();
    if (event.detail.boosted) {
      // The clicked link is gone with the old page: move focus to the new page's heading, as a page load would.
      const heading = document.querySelector("main h1");
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
  });

  function preparePage() {
    document.querySelectorAll("[data-track-waveform]").forEach((box) => {
      if (!box.querySelector("svg") && !box.classList.contains("waveform--plain")) {
        drawWaveform(box, parsePeaks(box.dataset.peaks));
      }
    });
    syncButtons();
    renderProgress();
  }

  // --- start: restore the queue from the last page or visit --------------------------------
  audio.volume = queue.volume;
  audio.muted = queue.muted;
  volume.value = String(queue.volume);
  renderQueue();
  if (current()) load(current(), { autoplay: false, time: queue.time });
  preparePage();
}

function submitNatively(form, submitter) {
  if (submitter?.name) {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = submitter.name;
    field.value = submitter.value;
    form.append(field);
  }
  HTMLFormElement.prototype.submit.call(form);
}
