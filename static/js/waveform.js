// Waveforms: draw a peak list as SVG bars behind a range input, and show progress over it.
const SVG = "http://www.w3.org/2000/svg";

function bars(peaks) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${peaks.length} 100`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG, "path");
  // One bar per peak, centred vertically, with a minimum height so silence still shows.
  path.setAttribute(
    "d",
    peaks.map((peak, x) => { const h = Math.max(peak, 4); return `M${x + 0.15} ${(100 - h) / 2}h0.7v${h}h-0.7z`; }).join(""),
  );
  svg.append(path);
  return svg;
}

/** Parse "3,40,100" (a data-peaks attribute) into numbers; [] when absent. */
export function parsePeaks(text) {
  return text ? text.split(",").map(Number).filter(Number.isFinite) : [];
}

/** Draw peaks into a .waveform container; with no peaks it shows a plain bar. */
export function drawWaveform(container, peaks) {
  container.querySelectorAll("svg").forEach((svg) => svg.remove());
  container.classList.toggle("waveform--plain", !peaks.length);
  if (!peaks.length) return;
  const back = bars(peaks);
  back.classList.add("waveform__bars");
  const front = bars(peaks);
  front.classList.add("waveform__bars", "waveform__bars--played");
  container.prepend(back, front);
}

/** Show how much has played (0..1) and keep the range input in step unless the user is dragging it. */
export function setProgress(container, fraction, label) {
  const value = Math.min(Math.max(fraction || 0, 0), 1);
  container.style.setProperty("--progress", value.toFixed(4));
  const range = container.querySelector("input[type=range]");
  if (range && !range.matches(":active")) range.value = String(Math.round(value * Number(range.max)));
  if (range && label) range.setAttribute("aria-valuetext", label);
}

export function formatTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
