// Sortable and filterable tables, and an upload progress bar. No dependencies.
(function () {
  function cellValue(row, i) {
    const text = row.cells[i] ? row.cells[i].textContent.trim() : "";
    const num = Number(text.replace(/,/g, ""));
    return text !== "" && !Number.isNaN(num) ? num : text.toLowerCase();
  }
  // in tables wider than the page, long text cells keep a readable width (the table scrolls
  // sideways) instead of being squeezed into a tall one-word column
  document.querySelectorAll("main .tablewrap").forEach(function (wrap) {
    const table = wrap.querySelector("table");
    if (!table || table.scrollWidth <= wrap.clientWidth + 2) return;
    table.querySelectorAll("td").forEach(function (td) {
      const n = td.textContent.length;
      if (n > 60) td.classList.add(n > 140 ? "longer" : "long");
    });
  });
  document.querySelectorAll("table.sortable, main .tablewrap table").forEach(function (table) {
    table.classList.add("sortable");
    const body = table.tBodies[0];
    if (!body) return;
    table.querySelectorAll("thead th").forEach(function (th, i) {
      th.addEventListener("click", function () {
        const asc = !th.classList.contains("sortable-asc");
        table.querySelectorAll("thead th").forEach(h => h.classList.remove("sortable-asc", "sortable-desc"));
        th.classList.add(asc ? "sortable-asc" : "sortable-desc");
        const rows = Array.from(body.rows);
        rows.sort(function (a, b) {
          const x = cellValue(a, i), y = cellValue(b, i);
          return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(r => body.appendChild(r));
      });
    });
    if (table.dataset.filter !== undefined) {
      const input = document.createElement("input");
      input.type = "search"; input.placeholder = "filter rows"; input.className = "table-filter";
      table.closest(".tablewrap").before(input);
      input.addEventListener("input", function () {
        const q = input.value.toLowerCase();
        Array.from(body.rows).forEach(r => { r.hidden = q && !r.textContent.toLowerCase().includes(q); });
      });
    }
  });
  const form = document.getElementById("upload-form");
  if (form && window.XMLHttpRequest) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const bar = document.getElementById("upload-progress");
      bar.hidden = false;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = e => { if (e.lengthComputable) bar.value = 100 * e.loaded / e.total; };
      xhr.onload = function () { document.open(); document.write(xhr.responseText); document.close(); };
      xhr.send(new FormData(form));
    });
  }
})();
