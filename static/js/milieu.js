// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("primary-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  // The account menu closes on Escape (focus back on its name) or a click outside.
  const account = document.querySelector(".account-menu details");
  if (account) {
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && account.open) {
        account.open = false;
        account.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (e) => {
      if (account.open && !account.contains(e.target)) account.open = false;
    });
  }
  // Progress bars poll their JSON endpoint while work runs in the background.
  document.querySelectorAll("[data-progress-url]").forEach((el) => {
    const url = el.dataset.progressUrl;
    const bar = el.querySelector("progress");
    const label = el.querySelector("[data-progress-label]");
    const tick = async () => {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      if (bar) bar.value = data.percent;
      if (label) label.textContent = data.label;
      if (data.done) {
        if (data.redirect) window.location = data.redirect;
        return;
      }
      setTimeout(tick, 1500);
    };
    tick();
  });
  // Assign a course: filter the list of people as you type.
  const peopleFilter = document.querySelector("[data-people-filter]");
  if (peopleFilter) {
    peopleFilter.hidden = false;
    peopleFilter.querySelector("input").addEventListener("input", (e) => {
      const q = e.target.value.trim().toLowerCase();
      document.querySelectorAll("[data-people-group]").forEach((group) => {
        let shown = 0;
        group.querySelectorAll("[data-person]").forEach((li) => {
          const match = !q || li.dataset.person.indexOf(q) !== -1;
          li.hidden = !match;
          if (match) shown += 1;
        });
        group.hidden = shown === 0;
      });
    });
  }
  // A read-only link to copy (the calendar feed) is selected when clicked.
  document.querySelectorAll("[data-select-on-focus]").forEach((input) => {
    input.addEventListener("click", () => input.select());
  });
  // A table wider than the screen scrolls sideways: let keyboards reach it too.
  document.querySelectorAll(".table-wrap:not([tabindex])").forEach((wrap) => {
    if (wrap.scrollWidth <= wrap.clientWidth) return;
    const caption = wrap.querySelector("caption");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
  });
  // After a refused form, start where the first answer is missing.
  const firstError = document.querySelector("[data-focus-first-error] .has-error input");
  if (firstError) {
    firstError.focus();
    firstError.scrollIntoView({ block: "center" });
  }
});
