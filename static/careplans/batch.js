// Batch printing: tick a whole page of patients; follow a batch until its file is ready.
(function () {
  "use strict";

  // Selection page: one box ticks every patient on the page.
  const tickAll = document.getElementById("tick-all");
  if (tickAll) {
    const boxes = Array.from(document.querySelectorAll("input[name='tick']"));
    const sync = function () {
      const ticked = boxes.filter(function (box) { return box.checked; }).length;
      tickAll.checked = ticked > 0 && ticked === boxes.length;
      tickAll.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    tickAll.hidden = false;
    tickAll.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = tickAll.checked; });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }

  // A quick pick or a search after changing ticks: keep the ticks on the way (the page
  // buttons do this without script, as they submit the selection form).
  const select = document.getElementById("batch-select");
  if (select) {
    let changed = false;
    select.addEventListener("change", function (event) {
      if (event.target.name === "tick" || event.target.id === "tick-all") changed = true;
    });
    const goKeepingTicks = function (query, event) {
      if (!changed) return;
      event.preventDefault();
      const go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      go.value = query;
      select.append(go);
      select.submit();
    };
    document.querySelectorAll("a[data-keep-ticks]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        goKeepingTicks(new URL(link.href).search.slice(1), event);
      });
    });
    const search = document.getElementById("batch-search");
    if (search) {
      search.addEventListener("submit", function (event) {
        goKeepingTicks(new URLSearchParams(new FormData(search)).toString(), event);
      });
    }
  }

  // Status page: the batch lives in the database, so polling picks up after a reload.
  const root = document.getElementById("batch-status");
  if (!root) return;
  const url = root.dataset.statusUrl;
  const progress = root.querySelector("[role='progressbar']");
  const bar = progress.querySelector(".progress-bar");
  const failures = document.getElementById("batch-failures");

  function field(name) {
    return document.querySelector("[data-field='" + name + "']");
  }

  function show(name, visible) {
    root.querySelectorAll("[data-show='" + name + "']").forEach(function (el) {
      el.hidden = !visible;
    });
  }

  function setPercent(percent) {
    // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
  }

  function render(s) {
    setPercent(s.percent);
    bar.classList.toggle("progress-bar-striped", s.status === "running");
    bar.classList.toggle("progress-bar-animated", s.status === "running");
    bar.classList.toggle("bg-success", s.status === "finished");
    bar.classList.toggle("bg-danger", s.status === "failed");
    field("status_display").textContent = s.status_display;
    field("summary").textContent = s.summary;
    field("error").textContent = s.error;
    show("waiting", s.waiting);
    show("error", s.status === "failed");
    show("nothing_printed", s.nothing_printed);
    show("download_url", Boolean(s.download_url));
    if (s.download_url) {
      const link = document.getElementById("batch-download");
      link.href = s.download_url;
      link.textContent = s.download_label;
    }
    failures.hidden = s.failures.length === 0;
    field("failure_count").textContent = String(s.failures.length);
    const list = failures.querySelector("ul");
    list.replaceChildren.apply(list, s.failures.map(function (f) {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = f.name;
      item.append(name, " — " + f.reason_display);
      if (f.detail) {
        const detail = document.createElement("span");
        detail.className = "small text-body-secondary";
        detail.textContent = " (" + f.detail + ")";
        item.append(detail);
      }
      return item;
    }));
  }

  function poll() {
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (s) {
        render(s);
        if (!s.is_over) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // The server restarting or the network dropping: try again a little later.
        window.setTimeout(poll, 5000);
      });
  }

  setPercent(Number(bar.dataset.percent) || 0);
  if (root.dataset.over !== "1") window.setTimeout(poll, 1000);
})();
