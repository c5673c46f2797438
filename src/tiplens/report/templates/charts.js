for (const el of document.querySelectorAll("div.chart[data-chart]")) {
  const spec = JSON.parse(document.getElementById("spec-" + el.dataset.chart).textContent);
  window.vegaEmbed(el, spec, {actions: {export: true, source: false, compiled: false, editor: false}, renderer: "svg"})
    .catch(err => { el.textContent = "Chart could not be drawn: " + err; });
}
