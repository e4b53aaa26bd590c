// Draw each fates chart with vega-embed (from our own static files), as wide as its column.
// The figures are also in the tables under the charts, which stay the text alternative.
document.addEventListener("DOMContentLoaded", () => {
  for (const element of document.querySelectorAll(".vega-chart[data-spec-id]")) {
    const spec = JSON.parse(document.getElementById(element.dataset.specId).textContent);
    const fitted = { ...spec, width: "container", autosize: { type: "fit-x", contains: "padding" } };
    window.vegaEmbed(element, fitted, { actions: false, renderer: "svg" });
  }
});
