// What overflows on the page the web course shows now, as the browser laid it out.
// Returns {checked, texts, problems}: problems as {kind, selector, text, by} in CSS pixels.
() => {
  const SLACK = 1;  // sub-pixel rounding, and an accent's overhang
  const style = e => getComputedStyle(e);
  const shown = e => e.checkVisibility({ visibilityProperty: true });
  // Screen-reader text is clipped to one pixel on purpose.
  const hiddenOnPurpose = e => { for (let a = e; a; a = a.parentElement) if (style(a).clip !== "auto") return true; return false; };
  const words = text => text.replace(/\s+/g, " ").trim().slice(0, 70);
  const selector = e => {
    const parts = [];
    for (let a = e; a && a !== document.body && parts.length < 4; a = a.parentElement) {
      if (a.id) { parts.unshift("#" + a.id); break; }
      parts.unshift(a.localName + [...a.classList].filter(c => c !== "is-open").map(c => "." + c).join(""));
    }
    return parts.join(" > ");
  };
  const problems = [];
  const page = document.documentElement.scrollWidth - window.innerWidth;
  if (page > 0) {
    // Name the widest boxes that stand out of the window while their parent does not.
    const out = e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + SLACK || r.left < -SLACK); };
    const culprits = [...document.body.querySelectorAll("*")].filter(e => shown(e) && !hiddenOnPurpose(e) && out(e) && !out(e.parentElement));
    problems.push({ kind: "the page scrolls sideways", selector: culprits.slice(0, 3).map(selector).join(", ") || "html",
                    text: culprits.length ? words(culprits[0].textContent) : "", by: page });
  }

  let checked = 0;
  for (const e of document.body.querySelectorAll("*")) {
    if (!shown(e) || hiddenOnPurpose(e) || e.localName === "textarea") continue;
    checked += 1;
    const s = style(e);
    const wider = e.scrollWidth - e.clientWidth, taller = e.scrollHeight - e.clientHeight;
    if (s.textOverflow === "ellipsis" && wider > 0) {
      problems.push({ kind: "text cut with an ellipsis", selector: selector(e), text: words(e.textContent), by: wider });
    } else if (s.overflowX !== "visible" && wider > SLACK) {
      const kind = ["hidden", "clip"].includes(s.overflowX) ? "text clipped" : "box scrolls sideways";
      problems.push({ kind, selector: selector(e), text: words(e.textContent), by: wider });
    } else if (["hidden", "clip"].includes(s.overflowY) && taller > SLACK && e.textContent.trim()) {
      problems.push({ kind: "text clipped at the bottom", selector: selector(e), text: words(e.textContent), by: taller });
    }
  }

  // Text running out of the box it is set in: the nearest ancestor that is a box (not inline).
  let texts = 0;
  // (No filter callback: with the page's JavaScript off, the browser would not run it.)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !shown(parent) || hiddenOnPurpose(parent) || ["script", "style", "noscript"].includes(parent.localName)) continue;
    let box = parent;
    while (["inline", "contents"].includes(style(box).display)) box = box.parentElement;
    const edge = box.getBoundingClientRect();
    // A line box lower than the font's ascent plus descent (line-height 1.25 in headings) lets the
    // glyphs' boxes stand a little above and below it: normal, and not what a reader sees as overflow.
    const leading = Math.max(SLACK, 0.2 * parseFloat(style(parent).fontSize));
    range.selectNodeContents(node);
    texts += 1;
    for (const r of range.getClientRects()) {
      const across = Math.max(edge.left - r.left, r.right - edge.right);
      const down = Math.max(edge.top - r.top, r.bottom - edge.bottom);
      const by = across > SLACK ? across : down > leading ? down : 0;
      if (r.width > 0 && by > 0) {
        problems.push({ kind: "text runs out of its box", selector: selector(box), text: words(node.data), by: Math.round(by) });
        break;
      }
    }
  }
  return { checked, texts, problems };
}
