// Citation popovers are <details> (open by click, Enter or Space, with no JS at all); this adds
// closing them with Escape or a click elsewhere, one open at a time. Hover shows the summary's title.
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") document.querySelectorAll("details.cite[open]").forEach((d) => { d.open = false; });
});
document.addEventListener("click", (e) => {
  document.querySelectorAll("details.cite[open]").forEach((d) => { if (!d.contains(e.target)) d.open = false; });
});

// The paper page: "Open the original" opens a PDF at the page of the cited (targeted) paragraph.
function originalAtTarget() {
  const link = document.querySelector("a.original[data-pdf='yes']");
  if (!link) return;
  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  const page = target && target.dataset.page;
  link.href = page ? link.dataset.base.split("#")[0] + "#page=" + page : link.dataset.base;
  link.dataset.label = link.dataset.label || link.textContent;
  link.textContent = page ? link.dataset.label.replace("Open the original", "Open the original at page " + page)
    : link.dataset.label;
}
document.addEventListener("DOMContentLoaded", originalAtTarget);
window.addEventListener("hashchange", originalAtTarget);

// The search page on a phone: the filters and the result counts fold away behind their summaries, so the
// first result is on the first screen.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 700px)").matches) return;
  document.querySelectorAll("details.fold-on-phone").forEach((d) => { d.open = false; });
});
