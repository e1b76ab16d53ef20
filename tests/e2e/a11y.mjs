// axe-core in the real window. WebDriver's Execute Script is not subject to the page's CSP, so
// the app's CSP stays as strict as it ships; axe runs in the page itself (its legacy in-page
// mode), because wry's WebDriver cannot open the second window axe's newer mode wants.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(join(dirname(new URL(import.meta.url).pathname), "../../ui/package.json"));
const SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

// Rules that are wrong for a desktop app's window, each with its reason. (None yet.)
const DISABLED = {};

/** Analyses the page as it is now; returns `{violations, passes, incomplete}` and logs a row. */
export async function analyse(driver, state) {
  // The page's CSP forbids eval, but the script WebDriver runs is not the page's: axe comes in
  // as the body of one, once per page.
  if (!(await driver.execute("return typeof window.axe === 'object'"))) {
    await driver.execute(`${SOURCE}\nreturn typeof window.axe;`);
  }
  const result = await driver.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.axe.run(document, { runOnly: { type: "tag", values: arguments[0] }, rules: arguments[1], resultTypes: ["violations"] })
       .then((r) => done({
         violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
           nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })) })),
         passes: r.passes.length, incomplete: r.incomplete.map((v) => v.id) }),
         (e) => done({ error: String(e) }));`,
    [TAGS, DISABLED],
  );
  if (result.error) throw new Error(`axe failed in ${state}: ${result.error}`);
  const table = process.env.E2E_A11Y_TABLE;
  if (table) {
    mkdirSync(dirname(table), { recursive: true });
    appendFileSync(table, JSON.stringify({ state, violations: result.violations, passes: result.passes, incomplete: result.incomplete }) + "\n");
  }
  return result;
}

/** A readable list of what axe found, for an assertion's message. */
export function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target}\n    ${n.summary?.replaceAll("\n", "\n    ")}`).join("\n")}`).join("\n");
}

/** Fails unless axe finds nothing in the page as it is now, in `state` (a name for the table). */
export async function assertAccessible(driver, state) {
  const { violations } = await analyse(driver, state);
  assert.equal(violations.length, 0, `axe found in ${state}:\n${describe(violations)}`);
}

// What has focus, and how its ring looks: run in the page. A hidden file input shows its ring
// on the label before it. The ring's contrast is taken against what it is drawn on (the
// ring sits outside the element, on its parent's background, composited up to the page).
const FOCUS_SCRIPT = `
  const el = document.activeElement;
  const dialog = document.querySelector("dialog[open]");
  if (!el || el === document.body || el === document.documentElement)
    return { lost: true, dialogOpen: !!dialog };
  const shown = el.matches("input[type=file]") ? el.previousElementSibling ?? el : el;
  const style = getComputedStyle(shown);
  const rgba = (c) => { const v = c.match(/[\\d.]+/g)?.map(Number) ?? [0, 0, 0, 0]; return v.length === 3 ? [...v, 1] : v; };
  const layers = [];
  for (let n = shown.parentElement; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const [l1, l2] = [lum(rgba(style.outlineColor)), lum(bg)].sort((a, b) => b - a);
  const label = el.labels?.[0]?.textContent ?? "";
  return {
    lost: false,
    tag: el.tagName.toLowerCase(),
    type: el.getAttribute("type") ?? "",
    role: el.getAttribute("role") ?? "",
    id: el.id,
    nameAttr: el.getAttribute("name") ?? "",
    account: el.closest("article[data-account]")?.dataset.account ?? "",
    name: (el.getAttribute("aria-label") || label || el.textContent || "").replace(/\\s+/g, " ").trim(),
    value: "value" in el ? String(el.value) : "",
    checked: !!el.checked,
    selected: el.getAttribute("aria-selected") === "true",
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    ratio: (l1 + 0.05) / (l2 + 0.05),
    focusVisible: el.matches(":focus-visible"),
    dialogOpen: !!dialog,
    inDialog: !!dialog && dialog.contains(el),
  };`;

/** What has focus now, and whether its ring shows. */
export function focused(driver) {
  return driver.execute(FOCUS_SCRIPT);
}

/**
 * Fails unless something other than the page has focus, with a ring of at least 2 px at 3:1
 * against its background (WCAG 2.4.7, 2.4.11, 2.4.13), inside the dialog when one is open.
 */
export async function assertFocusVisible(driver, where) {
  const f = await focused(driver);
  assert.ok(!f.lost, `${where}: focus was lost to the page`);
  const what = `${where}: ${f.tag}${f.id ? "#" + f.id : ""} "${f.name.slice(0, 60)}"`;
  assert.ok(f.ring, `${what} has no visible focus ring`);
  assert.ok(f.ratio >= 3, `${what}: its focus ring has only ${f.ratio.toFixed(2)}:1 contrast`);
  if (f.dialogOpen) assert.ok(f.inDialog, `${what} is outside the open dialog`);
  return f;
}

/**
 * Starts recording what the page's live regions would say: each change to a region's text
 * (role status, alert or log, or aria-live), as a screen reader would hear it.
 */
export function listenToLiveRegions(driver) {
  return driver.execute(`
    window.__spoken = [];
    const live = "[aria-live]:not([aria-live='off']), [role='status'], [role='alert'], [role='log']";
    window.__liveObserver?.disconnect();
    window.__liveObserver = new MutationObserver((records) => {
      const regions = new Set(records.map((r) => (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest(live)).filter(Boolean));
      for (const region of regions) {
        const text = region.textContent.replace(/\\s+/g, " ").trim();
        if (text) window.__spoken.push(text);
      }
    });
    window.__liveObserver.observe(document.body, { subtree: true, childList: true, characterData: true });`);
}

/** What the live regions said since `listenToLiveRegions`. */
export function spoken(driver) {
  return driver.execute("return window.__spoken");
}

const TREE = join(dirname(new URL(import.meta.url).pathname), "atspi-tree.py");

/**
 * The environment for an app whose accessibility tree a test reads: the other files run with
 * NO_AT_BRIDGE=1 (quiet, and no accessibility bus to wait for), which keeps GTK off AT-SPI.
 */
export function withAccessibilityBus() {
  const env = { ...process.env };
  delete env.NO_AT_BRIDGE;
  return env;
}

/**
 * The app's accessibility tree as a screen reader reads it over AT-SPI (tests/e2e/atspi-tree.py,
 * with Debian's python3 and its pyatspi), once `until(nodes)` holds; retried while the page
 * settles. Each node: `{role, name, states, depth, value?, valuetext?, current?}`.
 */
export async function accessibilityTree(until, what) {
  let last = [];
  for (let i = 0; i < 30; i++) {
    last = JSON.parse(execFileSync("/usr/bin/python3", [TREE], { encoding: "utf8", maxBuffer: 64 << 20 }));
    if (until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const seen = last.filter((n) => n.name).map((n) => `${n.role} "${n.name}"`).slice(0, 80).join("\n  ");
  throw new Error(`${what}; the tree holds:\n  ${seen}`);
}
