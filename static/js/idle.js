// Idle logoff warning. The server ends a session after the idle timeout
// (portal.middleware.IdleTimeoutMiddleware); this warns a minute before and can
// ask to stay signed in. Settings come from this script tag's data attributes.
(() => {
  const script = document.currentScript;
  const seconds = Number(script && script.dataset.idleSeconds);
  const keepaliveUrl = script && script.dataset.keepaliveUrl;
  if (!seconds || !keepaliveUrl) return;
  const warnBefore = Math.min(60, Math.floor(seconds / 2));
  let warnTimer = null;
  let endTimer = null;
  let box = null;

  const csrfToken = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  const hide = () => {
    if (box) box.hidden = true;
  };

  const show = () => {
    if (!box) {
      box = document.createElement("div");
      box.className = "idle-warning";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-live", "assertive");
      box.setAttribute("aria-labelledby", "idle-warning-text");
      const text = document.createElement("p");
      text.id = "idle-warning-text";
      text.textContent =
        "You will be signed out in one minute because you have been inactive.";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn";
      button.textContent = "Stay signed in";
      button.addEventListener("click", stay);
      box.append(text, button);
      document.body.append(box);
    }
    box.hidden = false;
    box.querySelector("button").focus();
  };

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(show, (seconds - warnBefore) * 1000);
    // At the end, reload: the server has ended the session and shows the login.
    endTimer = setTimeout(() => window.location.reload(), (seconds + 2) * 1000);
  };

  async function stay() {
    const response = await fetch(keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      window.location.reload();
      return;
    }
    hide();
    schedule();
  }

  schedule();
})();
