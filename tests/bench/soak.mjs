// The soak of `cargo xtask bench --app --soak`: a long scripted session in the real release
// app, through WebDriver, with the native confirmations answered by real X input (xdotool).
// The page is driven by scripts, never by WebDriver element handles: WebKitWebDriver keeps
// every element it has handed out alive until the page navigates, so a soak that looked
// elements up would measure its own handles (the old soak grew ~0.5 MB a cycle that way).
// Each cycle switches through the five areas, imports recovery codes (replacing the last set),
// reveals, copies and marks one used, imports a TOTP link and shows its live code, and types a
// password into Password check. It prints "settled <label>" at the start, after the first
// cycle, halfway and at the end, each once the app has been idle a moment, and xtask reads the
// app's memory then; it measures, it asserts nothing.
//
// Usage: node tests/bench/soak.mjs APP MINUTES
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver } from "../e2e/webdriver.mjs";

const [application, minutes] = process.argv.slice(2);
const ACCOUNT = "soak";
const CODES = ["00aa11bb22cc33dd", "44ee55ff66aa77bb", "8899aabbccddeeff", "0f0e0d0c0b0a0908"];
const LINK = `otpauth://totp/PyPI:${ACCOUNT}?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=PyPI`;
const card = `article[data-account='${ACCOUNT}']`;

/** Marks a quiet moment for xtask to read the memory, after the app has had time to settle. */
async function settled(label) {
  await sleep(5000);
  console.log(`settled ${label}`);
  await sleep(500);
}

/** Answers the native confirmation titled `title` with its action button: Cancel has the focus
 * and is the default (an Enter by habit cancels), so Tab moves to the action and Space presses it. */
async function confirmNatively(title) {
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const found = execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${title}$`], { encoding: "utf8" });
      const dialog = found.trim().split("\n")[0];
      execFileSync("xdotool", ["windowfocus", "--sync", dialog]);
      execFileSync("xdotool", ["key", "--window", dialog, "Tab", "space"]);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no native dialog titled ${JSON.stringify(title)}: ${error.message}`);
      await sleep(100);
    }
  }
}

/** Waits until `selector` matches, then runs `action(element, value)` on it in the page. */
async function inPage(driver, selector, action, value = null) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const done = await driver.execute(
      `const element = document.querySelector(arguments[0]);
       if (!element) return false;
       (${action})(element, arguments[1]);
       return true;`,
      [selector, value],
    );
    if (done) return;
    if (Date.now() > deadline) throw new Error(`no element matches ${selector}`);
    await sleep(100);
  }
}

const click = (driver, selector) => inPage(driver, selector, "(element) => element.click()");

/** Sets an input's value as typing would end, and tells Svelte's binding. */
const type = (driver, selector, text) =>
  inPage(driver, selector, `(element, text) => { element.value = text; element.dispatchEvent(new Event("input", { bubbles: true })); }`, text);

async function waitForText(driver, selector, predicate) {
  const deadline = Date.now() + 15000;
  let last = null;
  for (;;) {
    last = await driver.execute("return document.querySelector(arguments[0])?.textContent ?? null", [selector]);
    if (last !== null && predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`${selector} never matched; last text: ${JSON.stringify(last)}`);
    await sleep(150);
  }
}

async function area(driver, name) {
  await click(driver, `.nav-item[data-area='${name}']`);
  await sleep(300);
}

async function codes(driver, cycle) {
  await area(driver, "codes");
  await type(driver, "#codes-account", ACCOUNT);
  await type(driver, "#codes-text", CODES.join("\n"));
  await click(driver, "#codes-submit");
  if (cycle > 0) await confirmNatively(`Replace the recovery codes for ${ACCOUNT}\\?`);
  await waitForText(driver, `${card} [data-testid='remaining']`, (t) => /4\s+of 4/.test(t));
  await click(driver, `${card} .actions button:nth-child(1)`);
  if (cycle === 0) await confirmNatively(`Use the recovery codes for ${ACCOUNT}\\?`);
  await waitForText(driver, `${card} [data-testid='revealed']`, (t) => t.includes("00aa"));
  await click(driver, `${card} .actions button:nth-child(2)`);
  await waitForText(driver, `${card} [data-testid='clipboard-countdown']`, (t) => /clears in/.test(t));
  await click(driver, `${card} .actions button:nth-child(3)`);
  await waitForText(driver, `${card} [data-testid='remaining']`, (t) => /3\s+of 4/.test(t));
}

async function authenticator(driver, cycle) {
  await area(driver, "authenticator");
  await type(driver, "#totp-link", LINK); // the first tab: paste a link
  await inPage(driver, "#totp-link", "(element) => element.form.requestSubmit()");
  if (cycle > 0) await confirmNatively(`Replace the authenticator backup for ${ACCOUNT}\\?`);
  await waitForText(driver, card, () => true);
  await sleep(500);
  await click(driver, `${card} .actions button:nth-child(1)`);
  await waitForText(driver, `${card} [data-testid='totp-code'] .code`, (t) => /^\d{3} \d{3}$/.test(t.trim()));
  await sleep(2000); // the ring counts down
  await click(driver, `${card} .actions button:nth-child(1)`);
}

async function password(driver, cycle) {
  await area(driver, "password");
  await inPage(driver, "#pw-input", "(element) => element.focus()");
  await driver.press({ text: `correct horse battery staple ${cycle}` }); // key by key, as typed
  await sleep(1000);
  await type(driver, "#pw-input", "");
}

const driver = await Driver.start({ application, artifacts: "artifacts/soak" });
try {
  await waitForText(driver, "main", () => true);
  await settled("start");
  const deadline = Date.now() + Number(minutes) * 60_000;
  const halfway = deadline - (Number(minutes) * 60_000) / 2;
  let halfwayRead = false;
  for (let cycle = 0; Date.now() < deadline; cycle++) {
    await area(driver, "recover");
    await area(driver, "backup");
    await codes(driver, cycle);
    await authenticator(driver, cycle);
    await password(driver, cycle);
    await area(driver, "recover");
    console.error(`soak: cycle ${cycle + 1} done, ${Math.max(0, Math.round((deadline - Date.now()) / 1000))} s left`);
    if (cycle === 0) await settled("after the first cycle");
    else if (!halfwayRead && Date.now() > halfway) {
      halfwayRead = true; // the trend: a leak grows as much again in the second half
      await settled(`halfway, after ${cycle + 1} cycles`);
    }
  }
  await settled("end");
} finally {
  await driver.stop();
}
