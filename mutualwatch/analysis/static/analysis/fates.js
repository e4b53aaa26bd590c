// Draw each fates chart with vega-embed (from our own static files), as wide as its column.
// Each specification is fetched apart from the page, so that the page stays small; the figures
// are also in the tables under the charts, which stay the text alternative.
document.addEventListener("DOMContentLoaded", () => {
  for (const element of document.querySelectorAll(".vega-chart[data-spec-url]")) {
    fetch(element.dataset.specUrl)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((spec) => {
        const fitted = { ...spec, width: "container", autosize: { type: "fit-x", contains: "padding" } };
        // ast: vega's expression interpreter, not eval; defaultStyle and the tooltip's
        // disableDefaultStyle: no inline <style> (the page's CSP refuses both; site.css styles
        // the tooltip).
        const options = {
          actions: false,
          renderer: "svg",
          ast: true,
          defaultStyle: false,
          tooltip: { disableDefaultStyle: true },
        };
        return window.vegaEmbed(element, fitted, options);
      })
      .catch(() => {
        // The table below the chart carries its figures; nothing is lost but the drawing.
      });
  }
});
