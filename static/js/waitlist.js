// The waitlist page's live count: re-read /api/v1/waitlist/count every few seconds while the page is visible.
// One timer for the whole document, so it keeps working when htmx swaps the page in and out.
const INTERVAL_MS = 10000;

async function refresh() {
  const counter = document.querySelector("[data-waitlist-count]");
  if (!counter || document.hidden) return;
  try {
    const response = await fetch(counter.dataset.waitlistCount, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { count } = await response.json();
    const number = counter.querySelector("[data-waitlist-number]");
    if (number && String(count) !== number.textContent) {
      number.textContent = String(count);
      counter.querySelector("[data-waitlist-people]").textContent = count === 1 ? "person is" : "people are";
    }
  } catch {
    // offline or the server restarting: the next tick tries again
  }
}

if (!window.waitlistCountTimer) {
  window.waitlistCountTimer = setInterval(refresh, INTERVAL_MS);
  document.addEventListener("visibilitychange", refresh);
}
