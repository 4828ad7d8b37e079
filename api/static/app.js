// Citation popovers are <details> (open by click, Enter or Space, with no JS at all); this adds
// closing them with Escape or a click elsewhere, one open at a time. Hover shows the summary's title.
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") document.querySelectorAll("details.cite[open]").forEach((d) => { d.open = false; });
});
document.addEventListener("click", (e) => {
  document.querySelectorAll("details.cite[open]").forEach((d) => { if (!d.contains(e.target)) d.open = false; });
});
