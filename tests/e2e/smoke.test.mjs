// Smoke tests of the real desktop app: the window opens, every area is reachable by
// clicking, and the status line reports the real Secret Service as available. Each test that
// looks at the page starts from a freshly loaded one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Driver } from "./webdriver.mjs";
import { assertAccessible } from "./a11y.mjs";

const application = process.env.E2E_APP;
const artifacts = process.env.E2E_ARTIFACTS ?? "artifacts/e2e";
let driver;

before(async () => {
  assert.ok(application, "E2E_APP must name the app binary");
  driver = await Driver.start({ application, artifacts });
});

after(async () => {
  await driver?.stop();
});

test("the window opens with the app's title", async () => {
  assert.equal(await driver.title(), "PyPI Recovery Assistant");
  await driver.find("nav[aria-label='Areas']");
});

test("the keychain status reads available", async () => {
  await driver.fresh();
  const text = await driver.waitForText("[data-testid='keychain-status']", (t) => !t.includes("Checking"));
  assert.match(text, /Secret Service/);
  assert.equal(await (await driver.find("[data-testid='keychain-state']")).text(), "available");
});

test("each area is reachable by clicking", async () => {
  await driver.fresh();
  const areas = [
    ["codes", "Recovery codes"],
    ["authenticator", "Authenticator"],
    ["password", "Password check"],
    ["backup", "Backup"],
    ["recover", "Recover my account"],
  ];
  for (const [id, title] of areas) {
    await (await driver.find(`.nav-item[data-area='${id}']`)).click();
    await driver.waitForText("main h1", (t) => t === title);
    assert.equal(await (await driver.find(`.nav-item[data-area='${id}']`)).attribute("aria-current"), "page");
    await driver.screenshot(`area-${id}`);
    await assertAccessible(driver, `${title}: the first screen`);
  }
});

test("the strict CSP and frozen prototypes are in force", async () => {
  await driver.fresh();
  // An inline script must be refused; Object.prototype must be frozen.
  const result = await driver.execute(`
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.appendChild(s);
    return { inlineRan: window.__inlineRan === true, frozen: Object.isFrozen(Object.prototype) };
  `);
  assert.deepEqual(result, { inlineRan: false, frozen: true });
});

test("the app's memory cannot end up in a core dump", () => {
  assert.equal(driver.processes.length, 1, "one app process was started");
  const limits = readFileSync(`/proc/${driver.processes[0]}/limits`, "utf8");
  assert.match(limits, /^Max core file size\s+0\s+0\s/m);
});

test("the page runs in a web process without a JIT or DMA-BUF (src-tauri/src/webview.rs)", () => {
  assert.equal(driver.processes.length, 1, "one app process was started");
  const children = execFileSync("pgrep", ["-P", String(driver.processes[0]), "-x", "WebKitWebProces"], { encoding: "utf8" })
    .trim()
    .split("\n");
  assert.equal(children.length, 1, "the app has one web process");
  const environment = readFileSync(`/proc/${children[0]}/environ`, "utf8").split("\0");
  assert.ok(environment.includes("JSC_useJIT=0"), "JavaScriptCore's JIT is off in the web process");
  assert.ok(environment.includes("WEBKIT_DISABLE_DMABUF_RENDERER=1"), "frames travel in shared memory");
});

test("the layout holds at 800×600 and at 1440×900", async () => {
  await driver.fresh();
  for (const [width, height] of [
    [800, 600],
    [1440, 900],
  ]) {
    await driver.setWindowSize(width, height);
    await (await driver.find(".nav-item[data-area='codes']")).click();
    await driver.waitForText("main h1", (t) => t === "Recovery codes");
    // Nothing may overflow sideways: the page must not scroll horizontally.
    const overflow = await driver.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assert.equal(overflow, 0, `horizontal overflow at ${width}×${height}`);
    await driver.screenshot(`layout-${width}x${height}`);
  }
});

// WCAG 1.4.4 and 1.4.10: text at 200% in the smallest window (800×600), zoomed as a user
// would, with Ctrl+= (20% a step). Every area reflows: nothing scrolls sideways, and no
// control is cut off or out of reach.
test("at 200% zoom in an 800×600 window, every area reflows", async () => {
  await driver.fresh();
  await driver.setWindowSize(800, 600);
  const before = await driver.execute("return window.innerWidth");
  await driver.press(...Array(5).fill("Control+="));
  let width = before;
  for (let i = 0; i < 30 && width > before * 0.55; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    width = await driver.execute("return window.innerWidth");
  }
  assert.ok(Math.abs(width - before / 2) <= 2, `the page is at 200% (${before} → ${width} CSS px)`);
  // By their shortcuts: WebKitWebDriver's clicks miss under page zoom.
  for (const [key, id, title] of [
    ["1", "recover", "Recover my account"],
    ["2", "codes", "Recovery codes"],
    ["3", "authenticator", "Authenticator"],
    ["4", "password", "Password check"],
    ["5", "backup", "Backup"],
  ]) {
    await driver.press(`Control+${key}`);
    await driver.waitForText("main h1", (t) => t === title);
    await driver.screenshot(`zoom-200-${id}`);
    const layout = await driver.execute(`
      const root = document.documentElement;
      const clipped = [...document.querySelectorAll("main button, main input, main textarea, main select, main label, main h1, main h2, main p")]
        .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden" && !el.closest(".visually-hidden"))
        .filter((el) => { const r = el.getBoundingClientRect(); return r.right > root.clientWidth + 1 || r.left < -1; })
        .map((el) => el.tagName + " " + (el.id || el.textContent.trim().slice(0, 30)));
      return { overflow: root.scrollWidth - root.clientWidth, clipped };`);
    assert.equal(layout.overflow, 0, `${title}: the page scrolls sideways at 200%`);
    assert.deepEqual(layout.clipped, [], `${title}: cut off at 200%`);
  }
  await driver.press("Control+0");
  await assertAccessible(driver, "at 200% zoom and back");
});

// WebKitGTK has no forced-colors mode (the media query never matches there; WebView2 under
// Windows High Contrast does). So the forced-colors algorithm's main effects are emulated: the
// system's Canvas and CanvasText for every background, text and border, no shadows, except
// where our own forced-colors rules opt out; then those rules apply as written. What must
// survive: the current area, the selected tab, each button's edge and the focus ring.
const FORCED_COLORS = `
  const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules])
    .filter((r) => r.media?.mediaText.includes("forced-colors"))
    .flatMap((r) => [...r.cssRules]);
  // WebKit drops forced-color-adjust (unknown to it); a rule of ours that sets a background
  // in forced colors is one that opts out (it must, or the background would be replaced).
  const keep = rules.filter((r) => r.style.backgroundColor).map((r) => ":not(" + r.selectorText + ")").join("");
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("*" + keep + ", *" + keep + "::backdrop { background-color: Canvas !important; color: CanvasText !important;"
    + " border-color: CanvasText !important; box-shadow: none !important; accent-color: Highlight !important; }\\n"
    + "a { color: LinkText !important; }\\n"
    + rules.map((r) => r.cssText).join("\\n"));
  document.adoptedStyleSheets = [sheet];
  return rules.length;`;

test("in forced colors (emulated), the current area, the selected tab, buttons and focus stay visible", async () => {
  await driver.fresh();
  await driver.setWindowSize(1100, 760);
  assert.ok((await driver.execute(FORCED_COLORS)) > 5, "the forced-colors rules were found");
  await driver.press("Control+3");
  await driver.waitForText("main h1", (t) => t === "Authenticator");
  await driver.press("Tab");
  // The system's Highlight, as this emulation resolves it (inline !important beats ours).
  const highlight = await driver.execute(`
    const probe = document.createElement("i");
    probe.style.setProperty("color", "Highlight", "important");
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;`);
  const seen = await driver.execute(`
    const highlight = arguments[0];
    const style = (sel) => getComputedStyle(document.querySelector(sel));
    // Marked by an outline in Highlight: a shadow or a fill, forced colors would remove.
    const marked = (sel) => style(sel).outlineStyle === "solid" && style(sel).outlineColor === highlight;
    return {
      current: marked(".nav-item[aria-current='page']"),
      other: marked(".nav-item:not([aria-current])"),
      otherEdge: parseFloat(style(".nav-item:not([aria-current])").borderTopWidth) > 0,
      tab: marked("[role='tab'][aria-selected='true']"),
      otherTab: marked("[role='tab'][aria-selected='false']"),
      focus: style(":focus").outlineColor === highlight,
    };`, [highlight]);
  assert.deepEqual(seen, { current: true, other: false, otherEdge: true, tab: true, otherTab: false, focus: true });
  await driver.screenshot("forced-colors-authenticator");
  await driver.press("Control+4");
  await (await driver.find("#pw-input")).type("tr0ub4dor&3 horse");
  await driver.waitForText("[data-testid='verdict']", (t) => t.includes("PyPI will"));
  const lit = await driver.execute("return [...document.querySelectorAll('.strength-meter span')].map((s) => getComputedStyle(s).backgroundColor)");
  const score = Number(await driver.execute("return document.querySelector('.strength-meter').dataset.score"));
  assert.deepEqual(lit.map((c) => c === highlight), [0, 1, 2, 3].map((i) => i < score), "lit segments in Highlight, the rest not");
  await driver.screenshot("forced-colors-password");
  await driver.execute("document.adoptedStyleSheets = []");
});
