// Accessible names for an explorer (helpers.display.widgets.Explorer), as an anywidget module.
//
// The widget itself draws nothing. It looks up the explorer it belongs to (the nearest element
// with the class "downhill-explorer") and, whenever that subtree changes, writes:
//   - aria-label on every slider handle, text field, menu, check box and button of each control,
//     from the names Python sends (model "names": {css class: name});
//   - aria-valuetext on each slider handle, from the values Python sends ("values": {css class:
//     text}), so a screen reader hears the value the reader set ("0.002", "0.9"), never the
//     slider's log exponent or a float's last digits;
//   - the same text in each slider's readout, when it shows the same number in a padded format;
//   - on the figure (an <img> or the playground's canvas): role, its accessible name ("figure")
//     and aria-describedby pointing at the caption, which becomes a polite live region.
// Python stays the source of every word; this file only puts the words where a screen reader looks.

const PLAY_NAMES = {"fa-play": "play", "fa-pause": "pause", "fa-stop": "stop", "fa-retweet": "repeat"};
let counter = 0;

function label(node, name) {
  if (name && node.getAttribute("aria-label") !== name) node.setAttribute("aria-label", name);
}

function apply(root, model) {
  const names = model.get("names") || {};
  const values = model.get("values") || {};
  for (const [cls, name] of Object.entries(names)) {
    for (const box of root.querySelectorAll("." + cls)) {
      for (const handle of box.querySelectorAll("[role='slider']")) {
        label(handle, name);
        const text = values[cls];
        if (text !== undefined && handle.getAttribute("aria-valuetext") !== text) {
          handle.setAttribute("aria-valuetext", text);
        }
      }
      // the readout, as Python writes the value ("0.9", "0.002"), where ipywidgets' own format pads it
      // ("0.900", "0.0020"): only when both say the same number, so a drag in progress is left alone
      const text = values[cls];
      for (const readout of box.querySelectorAll(".widget-readout")) {
        if (text === undefined || readout.textContent === text || document.activeElement === readout) continue;
        const shown = parseFloat(readout.textContent.replace("\u2212", "-"));
        const wanted = parseFloat(text.replace("\u2212", "-"));
        if (Number.isFinite(shown) && Math.abs(shown - wanted) <= 1e-9 * Math.max(1, Math.abs(wanted))) {
          readout.textContent = text;
        }
      }
      for (const field of box.querySelectorAll("input, select, textarea")) label(field, name);
      for (const button of box.querySelectorAll("button")) {
        if (!button.textContent.trim()) label(button, name);
      }
    }
  }
  // the play widget's buttons are icons only: name each after its icon
  for (const button of root.querySelectorAll(".widget-play button")) {
    const icon = button.querySelector("i");
    const kind = icon && Object.keys(PLAY_NAMES).find((k) => icon.classList.contains(k));
    if (kind && !button.hasAttribute("aria-label")) label(button, PLAY_NAMES[kind]);
  }
  const caption = root.querySelector(".downhill-explorer-caption");
  if (caption) {
    if (!caption.id) caption.id = "downhill-caption-" + (++counter);
    if (caption.getAttribute("aria-live") !== "polite") caption.setAttribute("aria-live", "polite");
  }
  for (const figure of root.querySelectorAll(".downhill-explorer-figure")) {
    const target = figure.tagName === "IMG" || figure.tagName === "CANVAS" ? figure
      : (figure.querySelector("canvas") || figure);
    const name = model.get("figure_name");
    if (target.tagName === "IMG") {
      if (target.getAttribute("alt") !== name) target.setAttribute("alt", name);
    } else if (target.getAttribute("role") !== "img") {
      target.setAttribute("role", "img");
    }
    label(target, name);
    if (caption && target.getAttribute("aria-describedby") !== caption.id) {
      target.setAttribute("aria-describedby", caption.id);
    }
  }
}

function render({model, el}) {
  el.classList.add("downhill-a11y");
  let root = null;
  let queued = false;
  const run = () => {
    queued = false;
    root = root || el.closest(".downhill-explorer");
    if (root) apply(root, model);
  };
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  };
  // the explorer's other views render after this one, and ipywidgets re-renders parts of them:
  // watch the subtree (children only; the attributes written here do not trigger it)
  const observer = new MutationObserver(later);
  const attach = () => {
    root = el.closest(".downhill-explorer");
    if (!root) {
      requestAnimationFrame(attach);
      return;
    }
    observer.observe(root, {childList: true, subtree: true, characterData: true});
    run();
  };
  attach();
  model.on("change:names", later);
  model.on("change:values", later);
  model.on("change:figure_name", later);
  return () => observer.disconnect();
}

export default {render};
