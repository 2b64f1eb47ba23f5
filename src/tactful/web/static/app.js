// Small helpers the pages use; everything works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value || source.textContent).then(() => {
    const before = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = before; }, 1500);
  });
});

// Keep the "Open in mail app" link in step with the edited text.
document.addEventListener("input", (event) => {
  const link = document.querySelector("[data-mailto]");
  if (!link || event.target.id !== link.dataset.mailto) return;
  const lines = event.target.value.split("\n");
  let subject = "";
  if (/^subject:/i.test(lines[0] || "")) {
    subject = lines.shift().replace(/^subject:\s*/i, "");
    while (lines.length && !lines[0].trim()) lines.shift();
  }
  const address = link.getAttribute("href").split("?")[0];
  link.setAttribute("href", `${address}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(lines.join("\n"))}`);
});

// Count a LinkedIn note's characters as they are typed (the server counts them too).
document.addEventListener("input", (event) => {
  const counter = document.querySelector("output[data-limit]");
  if (!counter || event.target.id !== counter.htmlFor.value) return;
  const limit = Number(counter.dataset.limit);
  const used = event.target.value.trim().length;
  counter.value = `${used} / ${limit} characters`;
  counter.classList.toggle("over", used > limit);
});
