// The case decision form: show only the parts that belong to the chosen action. Without this
// file every part shows, each under a heading that says when it applies.
for (const form of document.querySelectorAll("[data-case-form]")) {
  const radios = Array.from(form.querySelectorAll('input[name="kind"]'));
  const parts = Array.from(form.querySelectorAll(".action-fields[data-for]"));

  const update = () => {
    const chosen = radios.find((radio) => radio.checked)?.value || "";
    for (const part of parts) {
      const kinds = part.dataset.for.split(" ");
      const wanted = chosen !== "" && (kinds.includes("any") || kinds.includes(chosen));
      // Never hide a part that holds an error message: the facilitator must see it.
      part.hidden = !wanted && !part.querySelector(".errorlist");
    }
    form.classList.toggle("is-progressive", true);
  };

  for (const radio of radios) radio.addEventListener("change", update);
  update();
}
