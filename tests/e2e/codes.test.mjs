// The Recovery codes area in the real app, with the real Secret Service: import by paste,
// reveal, copy (read back from the X clipboard), and mark used. Each test starts from a fresh
// page, with its own account's codes stored through the real command.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Driver, answerPrompts, askedPrompts, promptShown } from "./webdriver.mjs";
import { assertAccessible, listenToLiveRegions, spoken } from "./a11y.mjs";

const CODES = ["00aa11bb22cc33dd", "44ee55ff66aa77bb", "8899aabbccddeeff", "0f0e0d0c0b0a0908"];
let driver;

before(async () => {
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
});

after(async () => {
  await driver?.stop();
});

const cardOf = (account) => `article[data-account='${account}']`;

/** A fresh Recovery codes area, with `account`'s four codes stored and none used yet. */
async function stored(account, codes = CODES) {
  await driver.store("codes_import", { account, text: codes.join("\n") });
  await driver.fresh("codes");
  await driver.find(cardOf(account));
  return cardOf(account);
}

test("import pasted codes into the keychain", async () => {
  await driver.fresh("codes");
  const card = cardOf("mirafoss");
  await (await driver.find("#codes-account")).type("mirafoss");
  await (await driver.find("#codes-text")).type(["PyPI recovery codes", ...CODES].join("\uE007"));
  await driver.screenshot("codes-import-filled");
  await assertAccessible(driver, "codes: import, pasted codes");
  await (await driver.find("#codes-submit")).click();
  const remaining = await driver.waitForText(`${card} [data-testid='remaining']`, (t) => t.includes("of 4"));
  assert.match(remaining, /4\s+of 4 codes left/);
  const text = await (await driver.find(card)).text();
  assert.ok(!text.includes(CODES[0]), "the card does not show codes");
  assert.equal(await (await driver.find("#codes-text")).text(), "", "the pasted codes are cleared");
});

test("reveal shows the next code on request, once agreed in a native prompt", async () => {
  const card = await stored("mirafoss-reveal");
  const shown = askedPrompts().length;
  answerPrompts(true);
  await (await driver.button("Reveal next code", { within: card })).click();
  const asked = await promptShown(shown + 1);
  assert.equal(asked.question.title, "Use the recovery codes for mirafoss-reveal?");
  assert.match(asked.question.message, /4 of 4 left/);
  const revealed = await driver.waitForText(`${card} [data-testid='revealed']`, (t) => t.includes("00aa"));
  assert.match(revealed, /00aa 11bb 22cc 33dd/);
  await driver.screenshot("codes-revealed");
  await assertAccessible(driver, "codes: a code revealed");
});

test("copy puts the code on the clipboard with a countdown", async () => {
  const card = await stored("mirafoss-copy");
  answerPrompts(true); // agreed to use them
  const copy = await driver.button("Copy next code", { within: card });
  assert.equal(await copy.text(), "Copy next code");
  await copy.click();
  await driver.waitForText(`${card} [data-testid='clipboard-countdown']`, (t) => /clears in \d+ s/.test(t));
  await assertAccessible(driver, "codes: copied, the clipboard countdown");
  const clipboard = execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8" });
  assert.equal(clipboard, CODES[0]);
  // Marked for clipboard managers (Klipper and the others that honour KDE's hint) to skip.
  const targets = execFileSync("xclip", ["-o", "-selection", "clipboard", "-t", "TARGETS"], { encoding: "utf8" });
  assert.match(targets, /^x-kde-passwordManagerHint$/m);
  assert.equal(execFileSync("xclip", ["-o", "-selection", "clipboard", "-t", "x-kde-passwordManagerHint"], { encoding: "utf8" }), "secret");
});

test("mark used moves on to the next code, with undo offered", async () => {
  const card = await stored("mirafoss-mark");
  const mark = await driver.button(/^Mark code \d+ as used$/, { within: card });
  assert.equal(await mark.text(), "Mark code 1 as used");
  await mark.click();
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /3\s+of 4/.test(t));
  assert.match(await (await driver.find(`${card} [data-testid='undo']`)).text(), /Code 1 marked as used\.\s+Undo/);
  // Said once to a screen reader, from a region the undo's ticking seconds are not in.
  const said = await driver.execute("return document.querySelector(arguments[0]).textContent", [`${card} .live[role='status']`]);
  assert.equal(said.trim(), "Code 1 marked as used. Undo is offered for 10 seconds.");
  await driver.screenshot("codes-marked-used");
  await assertAccessible(driver, "codes: marked used, undo offered");
});

// The app runs with PYPI_RECOVERY_CLIPBOARD_SECONDS=4 (debug builds only) so these take seconds.
function clipboard() {
  try {
    return execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return "";
  }
}

test("the clipboard clears itself after the countdown", async () => {
  // Codes of its own: an earlier test's copy, clearing itself meanwhile, is not this one.
  const codes = ["c1ea2500c1ea2501", ...CODES.slice(1)];
  const card = await stored("mirafoss-clears", codes);
  answerPrompts(true); // agreed to use them
  await listenToLiveRegions(driver);
  await (await driver.button("Copy next code", { within: card })).click();
  await driver.waitForText(`${card} [data-testid='clipboard-countdown']`, (t) => /clears in \d+ s/.test(t));
  // The copy runs off the main thread: the last copy's countdown may still be what shows.
  for (let i = 0; i < 30 && clipboard() !== codes[0]; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(clipboard(), codes[0]);
  // It clears in 4 s: waited for, up to 8.
  for (let i = 0; i < 80 && clipboard() !== ""; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(clipboard(), "", "the code is gone from the clipboard");
  // A screen reader heard the copy and the end once each, not the seconds in between.
  assert.deepEqual(await spoken(driver), ["Copied. The clipboard clears in 4 seconds.", "The copy is gone from the clipboard."]);
});

test("something the user copied after us is left alone", async () => {
  const card = await stored("mirafoss-alone", ["a10e0000a10e0001", ...CODES.slice(1)]);
  answerPrompts(true); // agreed to use them
  await (await driver.button("Copy next code", { within: card })).click();
  await driver.waitForText(`${card} [data-testid='clipboard-countdown']`, (t) => /clears in \d+ s/.test(t));
  execFileSync("sh", ["-c", "printf 'my own text' | xclip -selection clipboard >/dev/null 2>&1"], { stdio: "ignore" });
  // Past the moment it would have cleared: the countdown is over, and Rust's clear has run.
  await driver.waitGone(`${card} [data-testid='clipboard-countdown']`, { timeout: 10000 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(clipboard(), "my own text");
});
