// What a screen reader gets: the accessibility tree WebKitGTK exposes over AT-SPI, read with
// pyatspi (tests/e2e/atspi-tree.py) in this test's D-Bus session, as Orca would read it.
// The names a user would say, the tabs' selected state and the meters' values. Each test
// starts from a freshly loaded page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Driver } from "./webdriver.mjs";
import { accessibilityTree, assertAccessible, withAccessibilityBus } from "./a11y.mjs";

let driver;

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e", env: withAccessibilityBus() });
  await driver.find("main h1");
});

after(async () => {
  await driver?.stop();
});

const find = (nodes, role, name) => nodes.find((n) => n.role === role && (name === undefined || n.name === name));

/** Every button and field that is showing has a name. */
function assertAllNamed(nodes, where) {
  const controls = ["push button", "entry", "password text", "check box", "radio button", "combo box", "page tab", "spin button", "toggle button"];
  const unnamed = nodes.filter((n) => controls.includes(n.role) && n.states.includes("showing") && !n.name.trim());
  assert.deepEqual(unnamed, [], `${where}: controls with no name`);
}

test("the areas are named as a user would say them, and the current one is marked", async () => {
  await driver.fresh();
  const nodes = await accessibilityTree((t) => find(t, "push button", "Backup"), "the area buttons are not in the tree");
  for (const name of ["Recover my account", "Recovery codes", "Authenticator", "Password check", "Backup"]) {
    assert.ok(find(nodes, "push button", name), `a button named "${name}" (without its shortcut's text)`);
  }
  assert.ok(find(nodes, "landmark", "Areas"), "the navigation landmark");
  assert.equal(find(nodes, "push button", "Recover my account").current, "page", "aria-current reaches AT-SPI");
  assert.equal(find(nodes, "push button", "Backup").current, undefined);
  assert.ok(find(nodes, "heading", "Recover my account"), "the area's heading");
  assert.ok(find(nodes, "radio button", "PyPI (pypi.org)"), "the first question's answers");
  assertAllNamed(nodes, "Recover my account");
});

test("the tabs report which one is selected, and follow the arrows", async () => {
  await driver.fresh("authenticator");
  let nodes = await accessibilityTree((t) => find(t, "page tab", "Paste a link"), "no import tabs");
  const tabs = nodes.filter((n) => n.role === "page tab");
  assert.deepEqual(
    tabs.map((t) => [t.name, t.states.includes("selected")]),
    [["Paste a link", true], ["QR code image", false], ["Type the key", false]],
  );
  await (await driver.find("#totp-tab-link")).click();
  await driver.press("ArrowRight");
  nodes = await accessibilityTree((t) => find(t, "page tab", "QR code image")?.states.includes("selected"), "ArrowRight did not select the next tab");
  assert.ok(!find(nodes, "page tab", "Paste a link").states.includes("selected"));
  assertAllNamed(nodes, "Authenticator");
  await assertAccessible(driver, "authenticator: the image tab, chosen by arrow");
});

test("the strength meter reports its value", async () => {
  await driver.fresh("password");
  await (await driver.find("#pw-input")).type("correct horse battery staple");
  const nodes = await accessibilityTree((t) => t.some((n) => n.name === "Password strength" && n.value), "no strength meter with a value");
  const meter = nodes.find((n) => n.name === "Password strength");
  assert.equal(meter.role, "level bar");
  const score = Number(await driver.execute("return document.querySelector('.strength-meter').dataset.score"));
  assert.deepEqual(meter.value, { now: score, min: 0, max: 4 });
  assert.equal(meter.valuetext, `${score} of 4`);
  assertAllNamed(nodes, "Password check");
});

test("the fields are named by their labels", async () => {
  await driver.fresh("codes");
  const nodes = await accessibilityTree((t) => find(t, "heading", "Recovery codes"), "the codes area is not in the tree");
  for (const name of ["PyPI username", "Paste your recovery codes"]) {
    assert.ok(nodes.some((n) => ["entry", "text"].includes(n.role) && n.name === name), `a field named "${name}"`);
  }
  assert.ok(find(nodes, "push button", "Store in keychain"));
  assertAllNamed(nodes, "Recovery codes");
});
