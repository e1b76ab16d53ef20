// Smoke tests of the real desktop app: the window opens, every area is reachable by
// clicking, and the status line reports the real Secret Service as available.
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
  const text = await driver.waitForText("[data-testid='keychain-status']", (t) => !t.includes("Checking"));
  assert.match(text, /Secret Service/);
  assert.equal(await (await driver.find("[data-testid='keychain-state']")).text(), "available");
});

test("each area is reachable by clicking", async () => {
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
  // An inline script must be refused; Object.prototype must be frozen.
  const result = await driver.execute(`
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.appendChild(s);
    return { inlineRan: window.__inlineRan === true, frozen: Object.isFrozen(Object.prototype) };
  `);
  assert.deepEqual(result, { inlineRan: false, frozen: true });
});

test("the layout holds at 800×600 and at 1440×900", async () => {
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
