// The playground's figure, drawn in the browser (an anywidget module; Python side: playground_canvas.py).
//
// Python sends every number: the background ("info": bounds, ticks, words, styles; "contour_png")
// once per surface, and on each recompute the typed arrays of every shown optimizer at every
// position of the learning-rate slider ("meta", "paths", "gaps", "lengths", "diverged", "unit").
// The sliders for the learning rate, the step shown, the mode and the fog reach this module
// directly in the browser (jsdlink), so moving them redraws from data already here, with no
// kernel in between. This file only chooses which column to draw (the same rule as
// playground_canvas.scene in Python) and draws it: a contour panel with the paths, the loss gap
// against step (log scale) and the schedule. Text is set at the screen's pixel ratio and the
// figure takes the width of its container.

const ORANGE = "#d55e00";
const ASPECT = 0.5;           // height / width of the figure
let counter = 0;

// Python's f"{v:.2g}": two significant digits, ties to even on the exact binary value (JavaScript's
// toPrecision rounds them up: 0.125 -> "0.13", Python "0.12"), exponent form below 1e-4 and from 100
export function fmt2g(v) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const sign = v < 0 ? "-" : "";
  const a = Math.abs(v);
  let [m, e] = a.toExponential(1).split("e");
  let exp = Number(e);
  const [exactM, exactE] = a.toExponential(60).split("e");
  const digits = exactM.replace(".", "");
  if (digits[2] === "5" && /^0*$/.test(digits.slice(3)) && Number(digits[1]) % 2 === 0) {
    m = digits[0] + "." + digits[1];   // an exact tie: to the even digit, down
    exp = Number(exactE);
  }
  const two = m.replace(".", "");
  if (exp < -4 || exp >= 2) {
    return `${sign}${m.replace(/\.0$/, "")}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  let s = exp === 1 ? two : exp === 0 ? two[0] + "." + two[1] : "0." + "0".repeat(-exp - 1) + two;
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return sign + s;
}

function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? String(fields[k]) : m));
}

function typed(view, Kind) {
  if (!view) return new Kind(0);
  const buffer = view.buffer || view;
  const offset = view.byteOffset || 0;
  const length = view.byteLength;
  if (offset % Kind.BYTES_PER_ELEMENT === 0) return new Kind(buffer, offset, length / Kind.BYTES_PER_ELEMENT);
  return new Kind(buffer.slice(offset, offset + length));
}

function nearest(peaks, lr) {
  let best = 0, gap = Infinity;
  const target = Math.log10(lr);
  peaks.forEach((p, k) => {
    const d = Math.abs(Math.log10(p) - target);
    if (d < gap) { gap = d; best = k; }
  });
  return best;
}

function marker(ctx, kind, x, y, r, color, edge, edgeWidth) {
  ctx.beginPath();
  if (kind === "s") ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
  else if (kind === "^" || kind === "v") {
    const s = kind === "^" ? 1 : -1;
    ctx.moveTo(x, y - s * r * 1.1); ctx.lineTo(x + r, y + s * r * 0.7); ctx.lineTo(x - r, y + s * r * 0.7);
    ctx.closePath();
  } else if (kind === "D") {
    ctx.moveTo(x, y - r); ctx.lineTo(x + r * 0.8, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r * 0.8, y); ctx.closePath();
  } else if (kind === "P" || kind === "X") {
    const a = r * 0.38, b = r;
    const pts = [[-a, -b], [a, -b], [a, -a], [b, -a], [b, a], [a, a], [a, b], [-a, b], [-a, a], [-b, a], [-b, -a], [-a, -a]];
    const turn = kind === "X" ? Math.PI / 4 : 0;
    pts.forEach(([px, py], i) => {
      const qx = x + px * Math.cos(turn) - py * Math.sin(turn), qy = y + px * Math.sin(turn) + py * Math.cos(turn);
      if (i === 0) ctx.moveTo(qx, qy); else ctx.lineTo(qx, qy);
    });
    ctx.closePath();
  } else if (kind === "*") {
    for (let i = 0; i < 10; i++) {
      const rr = i % 2 ? r * 0.45 : r * 1.15, t = -Math.PI / 2 + i * Math.PI / 5;
      if (i === 0) ctx.moveTo(x + rr * Math.cos(t), y + rr * Math.sin(t));
      else ctx.lineTo(x + rr * Math.cos(t), y + rr * Math.sin(t));
    }
    ctx.closePath();
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = color;
  ctx.fill();
  if (edge) { ctx.strokeStyle = edge; ctx.lineWidth = edgeWidth || 1; ctx.setLineDash([]); ctx.stroke(); }
}

function render({model, el}) {
  el.classList.add("downhill-pg-canvas");
  el.style.width = "100%";
  el.style.position = "relative";
  const canvas = document.createElement("canvas");
  canvas.style.display = "block";
  canvas.style.width = "100%";
  canvas.setAttribute("role", "img");
  canvas.id = "downhill-pg-canvas-" + (++counter);
  canvas.__downhillFmt2g = fmt2g;   // for the browser test: the same digits as Python's .2g
  el.appendChild(canvas);

  let data = null, dataKey = null, image = null, imageKey = null, geometry = null;
  const modeOf = () => ((model.get("info") || {}).modes || ["tuned", "shared"])[model.get("lr_mode_index")] || "tuned";
  let mode = modeOf();
  let lastLr = model.get("lr");
  let frames = 0, queued = false, clicks = 0;

  function decode() {
    const views = ["paths", "gaps", "lengths", "diverged", "unit"].map((k) => model.get(k));
    const meta = model.get("meta") || {};
    if (dataKey && views.every((v, i) => v === dataKey[i]) && meta === dataKey[5]) return data;
    dataKey = [...views, meta];
    if (!meta.labels) { data = null; return data; }
    const [paths, gaps, lengths, diverged, unit] = [
      typed(views[0], Float32Array), typed(views[1], Float32Array), typed(views[2], Int32Array),
      typed(views[3], Int32Array), typed(views[4], Float64Array)];
    const L = meta.labels.length, P = meta.peaks.length, S = meta.steps;
    data = (paths.length === L * P * (S + 1) * 2 && gaps.length === L * P * (S + 1) && unit.length === S)
      ? {meta, paths, gaps, lengths, diverged, unit, L, P, S} : null;   // a half-arrived update: wait
    return data;
  }

  function loadImage() {
    const png = model.get("contour_png");
    if (png === imageKey) return;
    imageKey = png;
    if (!png || !png.byteLength) { image = null; return; }
    const bytes = new Uint8Array(png.buffer || png, png.byteOffset || 0, png.byteLength);
    createImageBitmap(new Blob([bytes], {type: "image/png"})).then((bitmap) => {
      if (imageKey === png) { image = bitmap; later(); }
    });
  }

  // a change is drawn at once (after the other changes of the same event), so that the next paint
  // shows it; no waiting for an animation frame
  function later() {
    if (!queued) { queued = true; queueMicrotask(draw); }
  }

  function size() {
    const style = getComputedStyle(el);
    const width = Math.max(320, el.clientWidth || 900);
    let minFont = parseFloat(style.getPropertyValue("--downhill-figure-font")) || 13;
    if (model.get("large")) minFont = Math.max(minFont, 24);   // in JupyterLab too, where no page CSS helps
    const font = Math.max(minFont, Math.min(28, width / 56));
    return {width, font, family: style.fontFamily || "sans-serif"};
  }

  // a bug in the drawing is said on the figure, as the Python side does, never left in the console alone
  function draw() {
    queued = false;
    try {
      paint();
    } catch (err) {
      const ctx = canvas.getContext("2d");
      ctx.setTransform(window.devicePixelRatio || 1, 0, 0, window.devicePixelRatio || 1, 0, 0);
      ctx.fillStyle = "#fff3c4";
      ctx.fillRect(0, 0, canvas.clientWidth || 600, 40);
      ctx.fillStyle = "black";
      ctx.font = "16px sans-serif";
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      const detail = String(err && err.message ? err.message : err);
      const words = (model.get("info") || {}).words || {};   // none yet if the first message broke it
      ctx.fillText((words.drawing_error || "Something went wrong drawing: {detail}").replace("{detail}", () => detail),
                   10, 20);
      canvas.dataset.error = detail;
    }
  }

  function paint() {
    const t0 = performance.now();
    const info = model.get("info") || {};
    if (!info.bounds) return;
    const d = decode();
    const {width: W, font: f, family} = size();
    const ctx = canvas.getContext("2d");
    const font = (px, bold) => `${bold ? "600 " : ""}${px}px ${family}`;
    ctx.font = font(f);
    const words = info.words, styles = info.styles;
    const err = model.get("error");

    // which column each optimizer shows: its tuned rate, or the shared rate of the slider
    const lr = model.get("lr");
    const t = d ? Math.max(0, Math.min(model.get("show_step"), d.S)) : 0;
    const shared = d ? nearest(d.meta.peaks, lr) : 0;
    const walks = [];
    if (d && !err) {
      d.meta.labels.forEach((label, i) => {
        const k = mode === "tuned" ? d.meta.tuned[i] : shared;
        const len = d.lengths[i * d.P + k];
        const n = Math.min(t, len - 1) + 1;
        const dv = d.diverged[i * d.P + k];
        walks.push({label, i, k, n, len, diverged: dv < 0 ? null : dv, lr: d.meta.peaks[k]});
      });
    }
    const pathOffset = (w, j) => ((w.i * d.P + w.k) * (d.S + 1) + j) * 2;
    const gapOffset = (w, j) => (w.i * d.P + w.k) * (d.S + 1) + j;

    // ---- legend (wrapping rows), above the panels
    const pad = 0.5 * f;
    const entries = ["SGD", "SGD + momentum", "Adam", "AdamW"].map((label) => {
      const i = d ? d.meta.labels.indexOf(label) : -1;
      const text = mode === "tuned" && i >= 0 ? d.meta.legend[i] : words.names[label];
      return {label, text, shown: i >= 0, width: 2.6 * f + ctx.measureText(text).width + 1.5 * f};
    });
    const rows = [[]];
    let x = 0;
    const legendWidth = W - 2 * pad;
    for (const e of entries) {
      if (x + e.width > legendWidth && rows[rows.length - 1].length) { rows.push([]); x = 0; }
      rows[rows.length - 1].push(e);
      x += e.width;
    }
    if (rows.length === 2 || rows.length === 3) {   // two rows of two read better than 3 + 1
      const two = [entries.slice(0, 2), entries.slice(2)];
      if (Math.max(...two.map((r) => r.reduce((a, e) => a + e.width, 0))) <= legendWidth) rows.splice(0, rows.length, ...two);
    }
    const rowHeight = 1.45 * f;
    const top = pad + rowHeight * rows.length + 0.6 * f;
    // tall enough for the panels whatever the text size (the back row's larger text makes it taller)
    const H = Math.max(W * ASPECT, top + 15 * f);
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
      canvas.width = Math.round(W * dpr);
      canvas.height = Math.round(H * dpr);
    }
    canvas.style.height = H + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, W, H);
    ctx.font = font(f);
    ctx.textBaseline = "middle";
    rows.forEach((row, r) => {
      const total = row.reduce((a, e) => a + e.width, 0);
      let ex = Math.max(pad, (W - total) / 2);
      const ey = pad + rowHeight * (r + 0.5);
      for (const e of row) {
        const st = styles[e.label];
        ctx.globalAlpha = e.shown ? 1 : 0.35;
        ctx.strokeStyle = st.color; ctx.lineWidth = 2.5; ctx.setLineDash(st.dash.map((v) => v * 1.5));
        ctx.beginPath(); ctx.moveTo(ex, ey); ctx.lineTo(ex + 2.2 * f, ey); ctx.stroke();
        marker(ctx, st.marker, ex + 1.1 * f, ey, 0.32 * f, st.color, "white", 1);
        ctx.fillStyle = "black"; ctx.textAlign = "left";
        ctx.fillText(e.text, ex + 2.6 * f, ey);
        ctx.globalAlpha = 1;
        ex += e.width;
      }
    });

    // ---- geometry
    const [[x0, x1], [y0, y1]] = info.bounds;
    const titleH = 1.5 * f, tickH = 1.35 * f, labelH = 1.4 * f;
    const measure = (ticks) => Math.max(...ticks.map(([, s]) => ctx.measureText(s).width), 0);
    const left = pad + 1.2 * f + measure(info.yticks) + 0.5 * f;
    let cH = H - top - titleH - tickH - labelH;
    let cW = Math.min(cH * (x1 - x0) / (y1 - y0), 0.45 * W - left);
    cH = Math.min(cH, cW * (y1 - y0) / (x1 - x0));
    const C = {x: left, y: top + titleH, w: cW, h: cH};
    const rx = C.x + C.w + 1.6 * f + measure(info.loss_ticks) + 0.5 * f;
    const rW = W - rx - pad - 0.8 * f;
    const avail = H - top - 2 * titleH - 2 * tickH - labelH;
    const Lp = {x: rx, y: top + titleH, w: rW, h: 0.56 * avail};
    const Sp = {x: rx, y: Lp.y + Lp.h + tickH + titleH, w: rW, h: 0.44 * avail};
    geometry = {C, bounds: info.bounds};
    const cx = (v) => C.x + (v - x0) / (x1 - x0) * C.w;
    const cy = (v) => C.y + C.h - (v - y0) / (y1 - y0) * C.h;
    const steps = info.steps;
    const [lo, hi] = info.loss_limits;
    const lx = (s) => Lp.x + s / steps * Lp.w;
    const ly = (g) => Lp.y + Lp.h - (Math.log10(Math.min(Math.max(g, lo), hi)) - Math.log10(lo))
      / (Math.log10(hi) - Math.log10(lo)) * Lp.h;
    const sx = (s) => Sp.x + s / steps * Sp.w;
    const sy = (u) => Sp.y + Sp.h - u / 1.12 * Sp.h;

    // keep every stride-th tick so that no two labels touch (large text on a small panel)
    function thin(ticks, map, room) {
      if (ticks.length < 2) return ticks;
      const spacing = Math.abs(map(ticks[1][0]) - map(ticks[0][0])) || 1;
      const stride = Math.max(1, Math.ceil(room / spacing));
      return ticks.filter((_, i) => i % stride === 0);
    }

    function axes(R, xt, xmap, yt, ymap, grid) {
      ctx.setLineDash([]);
      ctx.fillStyle = "black";
      ctx.font = font(f);
      if (xt) xt = thin(xt, xmap, measure(xt) + 0.6 * f);
      yt = thin(yt, ymap, 1.15 * f);
      if (grid) {
        ctx.strokeStyle = "#e6e6e6"; ctx.lineWidth = 1;
        for (const [v] of yt) { ctx.beginPath(); ctx.moveTo(R.x, ymap(v)); ctx.lineTo(R.x + R.w, ymap(v)); ctx.stroke(); }
      }
      ctx.strokeStyle = "black"; ctx.lineWidth = 1.2;
      ctx.strokeRect(R.x, R.y, R.w, R.h);
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      if (xt) for (const [v, s] of xt) {
        const px = xmap(v);
        ctx.beginPath(); ctx.moveTo(px, R.y + R.h); ctx.lineTo(px, R.y + R.h + 0.3 * f); ctx.stroke();
        ctx.fillText(s, px, R.y + R.h + 0.35 * f);
      }
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      for (const [v, s] of yt) {
        const py = ymap(v);
        ctx.beginPath(); ctx.moveTo(R.x, py); ctx.lineTo(R.x - 0.3 * f, py); ctx.stroke();
        ctx.fillText(s, R.x - 0.4 * f, py);
      }
    }

    // the line through (px(j), py(j)) for j = 0 .. n - 1, in the current stroke style
    function polyline(n, px, py) {
      ctx.beginPath();
      for (let j = 0; j < n; j++) {
        if (j === 0) ctx.moveTo(px(j), py(j)); else ctx.lineTo(px(j), py(j));
      }
      ctx.stroke();
    }

    function clip(R, body) {
      ctx.save(); ctx.beginPath(); ctx.rect(R.x, R.y, R.w, R.h); ctx.clip(); body(); ctx.restore();
    }

    // ---- the contour panel
    if (image) ctx.drawImage(image, C.x, C.y, C.w, C.h);
    const positions = walks.map((w) => [d.paths[pathOffset(w, w.n - 1)], d.paths[pathOffset(w, w.n - 1) + 1]]);
    if (model.get("fog") && info.fog) {
      const fog = document.createElement("canvas");
      fog.width = Math.max(1, Math.round(C.w * dpr)); fog.height = Math.max(1, Math.round(C.h * dpr));
      const g = fog.getContext("2d");
      g.scale(dpr, dpr);
      g.fillStyle = `rgba(${info.fog.rgb.join(",")},${info.fog.alpha})`;
      g.fillRect(0, 0, C.w, C.h);
      g.globalCompositeOperation = "destination-out";
      const r = info.fog.radius / (x1 - x0) * C.w;
      for (const [px, py] of positions) {
        const gx = cx(px) - C.x, gy = cy(py) - C.y;
        const grad = g.createRadialGradient(gx, gy, 0.75 * r, gx, gy, r);
        grad.addColorStop(0, "rgba(0,0,0,1)"); grad.addColorStop(1, "rgba(0,0,0,0)");
        g.fillStyle = grad;
        g.beginPath(); g.arc(gx, gy, r, 0, 2 * Math.PI); g.fill();
      }
      ctx.drawImage(fog, C.x, C.y, C.w, C.h);
    }
    clip(C, () => {
      for (const [mx, my] of info.minima) marker(ctx, "*", cx(mx), cy(my), 0.5 * f, info.minimum_style.color, "black", 1);
      for (const w of walks) {
        const st = styles[w.label];
        ctx.strokeStyle = st.color; ctx.lineWidth = 2.2; ctx.setLineDash(st.dash.map((v) => v * 1.6));
        ctx.lineJoin = "round";
        polyline(w.n, (j) => cx(d.paths[pathOffset(w, j)]), (j) => cy(d.paths[pathOffset(w, j) + 1]));
      }
      if (d) marker(ctx, "o", cx(d.meta.start[0]), cy(d.meta.start[1]), 0.34 * f, "white", "black", 1.5);
      for (const w of walks) {
        const st = styles[w.label];
        const o = pathOffset(w, w.n - 1);
        const gone = w.diverged !== null && t >= w.diverged;
        if (!gone) marker(ctx, st.marker, cx(d.paths[o]), cy(d.paths[o + 1]), 0.36 * f, st.color, "white", 1.2);
      }
    });
    for (const w of walks) {   // a diverged run's cross, at its last finite point kept inside the view
      if (w.diverged === null || t < w.diverged) continue;
      const o = pathOffset(w, w.len - 1);
      const px = Math.min(Math.max(d.paths[o], x0), x1), py = Math.min(Math.max(d.paths[o + 1], y0), y1);
      marker(ctx, "X", cx(px), cy(py), 0.55 * f, styles[w.label].color, "black", 1.2);
    }
    axes(C, info.xticks, cx, info.yticks, cy, false);
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    // the formula, centred over the map within the left column (a little smaller if it must, to fit)
    const column = rx - measure(info.loss_ticks) - 1.0 * f - pad;
    let titleFont = f;
    ctx.font = font(titleFont);
    while (ctx.measureText(info.title).width > column && titleFont > 0.8 * f) { titleFont *= 0.95; ctx.font = font(titleFont); }
    const half = ctx.measureText(info.title).width / 2;
    ctx.fillText(info.title, Math.min(Math.max(C.x + C.w / 2, pad + half), pad + column - half), top + titleH / 2);
    ctx.font = font(f);
    ctx.fillText("x", C.x + C.w / 2, C.y + C.h + tickH + labelH / 2);
    ctx.fillText("y", pad + 0.5 * f, C.y + C.h / 2);

    // ---- the loss panel
    clip(Lp, () => {
      for (const w of walks) {
        const st = styles[w.label];
        ctx.strokeStyle = st.color; ctx.lineWidth = 2.2; ctx.setLineDash(st.dash.map((v) => v * 1.6));
        polyline(w.n, lx, (j) => ly(d.gaps[gapOffset(w, j)]));
        marker(ctx, st.marker, lx(w.n - 1), ly(d.gaps[gapOffset(w, w.n - 1)]), 0.3 * f, st.color, "white", 1);
      }
      ctx.strokeStyle = ORANGE; ctx.lineWidth = 1.2; ctx.setLineDash([5, 4]);
      ctx.beginPath(); ctx.moveTo(lx(t), Lp.y); ctx.lineTo(lx(t), Lp.y + Lp.h); ctx.stroke();
    });
    for (const w of walks) {
      if (w.diverged !== null && t >= w.diverged) {
        marker(ctx, "X", lx(w.diverged), Lp.y, 0.5 * f, styles[w.label].color, "black", 1.2);
      }
    }
    axes(Lp, info.step_ticks, lx, info.loss_ticks, ly, true);
    ctx.textBaseline = "middle";
    ctx.textAlign = "left"; ctx.fillText(words.loss_gap, Lp.x, top + titleH / 2);
    // "(log scale)" only where it fits beside the axis name (the decade ticks say it too)
    if (ctx.measureText(words.loss_gap).width + ctx.measureText(words.title_loss).width + f <= Lp.w) {
      ctx.textAlign = "right"; ctx.fillText(words.title_loss, Lp.x + Lp.w, top + titleH / 2);
    }

    // ---- the schedule panel
    let statusWidth = 0;
    if (d) {
      const i = Math.min(t, d.S - 1);
      clip(Sp, () => {
        ctx.strokeStyle = "black"; ctx.lineWidth = 2; ctx.setLineDash([]);
        polyline(d.S, sx, (j) => sy(d.unit[j]));
        ctx.strokeStyle = ORANGE; ctx.lineWidth = 1.2; ctx.setLineDash([5, 4]);
        ctx.beginPath(); ctx.moveTo(sx(t), Sp.y); ctx.lineTo(sx(t), Sp.y + Sp.h); ctx.stroke();
      });
      marker(ctx, "o", sx(i), sy(d.unit[i]), 0.3 * f, ORANGE, null);
      const status = mode === "tuned" ? fill(words.lr_tuned, {t, unit: fmt2g(d.unit[i])})
        : fill(words.lr_shared, {peak: fmt2g(d.meta.peaks[shared]), t, rate: fmt2g(d.meta.peaks[shared] * d.unit[i])});
      ctx.fillStyle = "black"; ctx.textBaseline = "middle"; ctx.textAlign = "right";
      ctx.fillText(status, Sp.x + Sp.w, Sp.y + Sp.h + tickH + labelH / 2);
      canvas.dataset.status = status;
      statusWidth = ctx.measureText(status).width;
    }
    axes(Sp, info.step_ticks, sx, info.lr_ticks, sy, true);
    ctx.textBaseline = "middle"; ctx.textAlign = "left";
    ctx.fillText(words.lr, Sp.x, Sp.y - titleH / 2);
    // the axis name, unless the status beside it (which names the step too) leaves no room
    if (ctx.measureText(words.step).width + statusWidth + f <= Sp.w) ctx.fillText(words.step, Sp.x, Sp.y + Sp.h + tickH + labelH / 2);

    // ---- the banner: what diverged, or why nothing can be drawn
    const messages = err ? [err] : walks.filter((w) => w.diverged !== null)
      .map((w) => fill(words.diverged, {label: words.names[w.label], step: w.diverged}));
    if (messages.length) {
      ctx.font = font(f);
      const lines = [];
      let line = "";
      for (const m of messages) {
        const next = line ? line + "; " + m : m;
        if (line && ctx.measureText(next).width > W - 4 * f) { lines.push(line + ";"); line = m; } else line = next;
      }
      lines.push(line);
      const bw = Math.min(W - 2 * pad, Math.max(...lines.map((l) => ctx.measureText(l).width)) + 1.6 * f);
      const bh = lines.length * 1.35 * f + 0.8 * f;
      const by = top + titleH + 0.2 * f;
      ctx.fillStyle = "#fff3c4"; ctx.strokeStyle = ORANGE; ctx.lineWidth = 1.5; ctx.setLineDash([]);
      ctx.beginPath(); ctx.roundRect ? ctx.roundRect(W / 2 - bw / 2, by, bw, bh, 0.4 * f) : ctx.rect(W / 2 - bw / 2, by, bw, bh);
      ctx.fill(); ctx.stroke();
      ctx.fillStyle = "black"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      lines.forEach((l, r) => ctx.fillText(l, W / 2, by + 0.4 * f + 1.35 * f * (r + 0.5)));
    }

    // what was drawn, for tests and the benchmark
    canvas.__downhillScene = {mode, lr, t, font: f, width: W, height: H, messages, contour: C, bounds: info.bounds,
      start: d ? d.meta.start : null, fog: !!model.get("fog"),
      walks: walks.map((w) => ({label: w.label, column: w.k, lr: w.lr, drawn: w.n, diverged_at: w.diverged,
        last: [d.paths[pathOffset(w, w.n - 1)], d.paths[pathOffset(w, w.n - 1) + 1]]}))};
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    canvas.dataset.frames = String(++frames);
    const name = model.get("figure_name");
    if (name && canvas.getAttribute("aria-label") !== name) canvas.setAttribute("aria-label", name);
  }

  model.on("change:lr", () => {
    const lr = model.get("lr");
    // moving the learning-rate slider races at that one rate (as Playground._lr_moved does in Python)
    if (lastLr > 0 && lr > 0 && Math.abs(Math.log10(lr / lastLr)) >= 0.025) mode = "shared";
    lastLr = lr;
    later();
  });
  model.on("change:lr_mode_index", () => { mode = modeOf(); later(); });
  for (const k of ["show_step", "fog", "error", "meta", "paths", "gaps", "lengths", "diverged", "unit", "info", "figure_name"]) {
    model.on("change:" + k, later);
  }
  model.on("change:contour_png", () => { loadImage(); later(); });
  model.on("change:info", () => { if (!dataKey) mode = modeOf(); });
  canvas.addEventListener("click", (event) => {
    if (!geometry) return;
    const rect = canvas.getBoundingClientRect();
    const {C, bounds: [[x0, x1], [y0, y1]]} = geometry;
    const px = event.clientX - rect.left, py = event.clientY - rect.top;
    if (px < C.x || px > C.x + C.w || py < C.y || py > C.y + C.h) return;
    model.set("click", [x0 + (px - C.x) / C.w * (x1 - x0), y1 - (py - C.y) / C.h * (y1 - y0), ++clicks]);
    model.save_changes();
  });
  // "larger text": the page's class downhill-large (the projector page's CSS makes every text larger,
  // this figure's included, through --downhill-figure-font); ?large=1 in the address starts it large
  const body = document.body;
  if (body.classList.contains("downhill-large") && !model.get("large")) {
    model.set("large", true);
    model.save_changes();
  }
  model.on("change:large", () => { body.classList.toggle("downhill-large", !!model.get("large")); later(); });
  const restyle = new MutationObserver(later);
  restyle.observe(body, {attributes: true, attributeFilter: ["class"]});
  const resize = new ResizeObserver(later);
  resize.observe(el);
  loadImage();
  later();
  return () => { resize.disconnect(); restyle.disconnect(); };
}

export default {render};
