// Header menus are <details> elements and work without this file. With it: Escape closes an
// open menu (focus back on its summary), a click elsewhere closes it, and opening one menu
// closes the other.
const menus = Array.from(document.querySelectorAll("details[data-menu]"));

function closeAll(except) {
  for (const menu of menus) {
    if (menu !== except) menu.open = false;
  }
}

for (const menu of menus) {
  menu.addEventListener("toggle", () => {
    if (menu.open) closeAll(menu);
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}

document.addEventListener("click", (event) => {
  for (const menu of menus) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  }
});
