// Suggest the browser's time zone (never changes anything by itself). Pages work without it:
// the profile's time zone is a plain select of zone names.
const zone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
})();

for (const hint of document.querySelectorAll("[data-tz-suggest]")) {
  const select = hint.dataset.target ? document.getElementById(hint.dataset.target) : null;
  const current = select ? select.value : hint.dataset.current;
  const known = select ? [...select.options].some((o) => o.value === zone) : Boolean(zone);
  if (!zone || !known || zone === current) continue;
  for (const name of hint.querySelectorAll("[data-tz-name]")) name.textContent = zone;
  const use = hint.querySelector("[data-tz-use]");
  if (use && select) {
    use.addEventListener("click", () => {
      select.value = zone;
      hint.hidden = true;
      select.focus();
    });
  }
  hint.hidden = false;
}
