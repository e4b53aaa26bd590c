// Draw each fates chart with vega-embed (from our own static files), as wide as its column.
// Each specification is fetched apart from the page, so that the page stays small; the figures
// are also in the tables under the charts, which stay the text alternative.
// Small multiples: two columns of panels on a wide screen, one on a phone, each panel as wide as
// its share of the column (less room for the axis and the gaps between panels).
const PANEL_MIN = 240;
const AXIS_ROOM = 90;
const GAP = 30;
function panelsFitted(spec, width) {
  const room = width - AXIS_ROOM - 2 * (spec.padding || 0);
  const columns = Math.max(1, Math.min(spec.columns || 1, Math.floor((room + GAP) / (PANEL_MIN + GAP))));
  const panel = Math.max(160, Math.floor((room - GAP * (columns - 1)) / columns));
  return { ...spec, columns, spec: { ...spec.spec, width: panel } };
}

document.addEventListener("DOMContentLoaded", () => {
  for (const element of document.querySelectorAll(".vega-chart[data-spec-url]")) {
    fetch(element.dataset.specUrl)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((spec) => {
        const fitted = spec.facet ? panelsFitted(spec, element.clientWidth) : { ...spec, width: "container", autosize: { type: "fit-x", contains: "padding" } };
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
