// Every main flow by keyboard alone, in the real window: Tab, Shift+Tab, Enter, Space, the
// arrows, Escape and Ctrl+1…5, pressed through WebDriver's input actions (nothing is clicked,
// and no element is focused by the test). After each key, something other than the page has
// focus, its ring shows at 3:1, and an open dialog keeps it. Each test starts from a freshly
// loaded page, with what it needs stored through the real commands.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver, answerPrompts } from "./webdriver.mjs";
import { assertAccessible, assertFocusVisible, focused } from "./a11y.mjs";

const CODES = ["5a5b5c5d5e5f6061", "6263646566676869", "6a6b6c6d6e6f7071"];
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PASSPHRASE = "cobalt fjord lantern meadow";
const ACCOUNT = "kbd user"; // a space, which once broke the card's aria-labelledby
let driver;
let work;

before(async () => {
  // Its own data folder (node runs each file in its own process): no draft or file from
  // another test file changes where the keys lead.
  work = mkdtempSync(join(tmpdir(), "e2e-keyboard-"));
  for (const dir of ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"]) process.env[dir] = join(work, dir);
  // This user also asks for less motion, as GNOME's "Reduce animation" does; WebKitGTK turns
  // GTK's setting into prefers-reduced-motion.
  mkdirSync(join(work, "XDG_CONFIG_HOME", "gtk-3.0"), { recursive: true });
  writeFileSync(join(work, "XDG_CONFIG_HOME", "gtk-3.0", "settings.ini"), "[Settings]\ngtk-enable-animations=false\n");
  driver = await Driver.start({ application: process.env.E2E_APP, artifacts: process.env.E2E_ARTIFACTS ?? "artifacts/e2e" });
  await driver.find("main h1");
});

after(async () => {
  await driver?.stop();
});

/** Presses `keys`, then checks focus; returns what has it. */
async function press(...keys) {
  await driver.press(...keys);
  return assertFocusVisible(driver, `after ${keys.map((k) => (typeof k === "object" ? JSON.stringify(k.text) : k)).join(" ")}`);
}

/** Tabs (or Shift+Tabs) until `wanted(focus)` holds, checking focus at each stop. */
async function tabTo(wanted, { back = false, max = 60 } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    const f = await press(back ? "Shift+Tab" : "Tab");
    if (wanted(f)) return f;
    stops.push(`${f.tag}${f.id ? "#" + f.id : ""} "${f.name.slice(0, 30)}"`);
  }
  throw new Error(`never reached it in ${max} Tabs; stops: ${stops.join(", ")}`);
}

/** Waits until `wanted(focus)` holds (focus moved by the app after something async). */
async function focusSettles(wanted, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let f;
  for (;;) {
    f = await focused(driver);
    if (!f.lost && wanted(f)) return assertFocusVisible(driver, what);
    if (Date.now() > deadline) throw new Error(`${what}: focus is on ${JSON.stringify(f)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const named = (name) => (f) => f.name === name;
// The same control in one account's card (other files' accounts share the keychain).
const inCard = (account, name) => (f) => f.account === account && f.name === name;

/** In a radio group (by its name), moves with the arrows to `value`; checks it. */
async function choose(group, value) {
  let f = await tabTo((f) => f.nameAttr === group);
  for (let i = 0; i < 8 && f.value !== value; i++) f = await press("ArrowDown");
  assert.equal(f.value, value, `${group} has no option ${value}`);
  if (!f.checked) f = await press("Space");
  assert.ok(f.checked, `${group}=${value} is checked`);
}

function clipboard() {
  return execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8" });
}

test("path finder → request → check your answers → copy a field, by keyboard", async () => {
  await driver.store("request_forget_draft", {});
  await driver.fresh();
  await driver.press("Control+1");
  await focusSettles((f) => f.tag === "h1" && f.name === "Recover my account", "Ctrl+1 lands on the heading");
  for (const [group, value] of [
    ["site", "pypi"],
    ["own_account", "yes"],
    ["compromised", "no"],
    ["email", "yes"],
    ["password", "known"],
    ["totp", "lost"],
    ["security_key", "none"],
    ["recovery_codes", "no"],
  ]) {
    await choose(group, value);
  }
  await tabTo(named("Show my path"));
  await driver.press("Enter");
  await focusSettles((f) => f.id === "advice-title", "the advice's heading takes focus");
  await tabTo(named("Start the request"));
  await driver.press("Enter");
  await focusSettles((f) => f.tag === "h2" && f.name === "Your PyPI username", "the first step's heading");
  await assertAccessible(driver, "recover: wizard, username");
  await tabTo((f) => f.id === "req-username");
  await press({ text: "mirafoss" });
  await driver.press("Enter");
  await focusSettles((f) => f.name === "Why you cannot sign in", "the reason step");
  await tabTo((f) => f.id === "wizard-continue");
  await driver.press("Enter");
  await focusSettles((f) => f.name === "Confirmations", "the confirmations step");
  for (const id of ["req-recovery_codes_lost", "req-code_of_conduct", "req-acknowledge_delay"]) {
    const f = await tabTo((f) => f.id === id);
    if (!f.checked) assert.ok((await press("Space")).checked, id);
  }
  await tabTo((f) => f.id === "wizard-continue");
  await driver.press("Enter");
  await focusSettles((f) => f.name === "Private evidence", "the evidence step");
  await tabTo((f) => f.id === "req-private-emails");
  await press({ text: "mira@foss.example" });
  await tabTo((f) => f.id === "wizard-continue");
  await driver.press("Enter");
  await focusSettles((f) => f.name === "Check your answers", "check your answers");

  // The preview's tabs: one Tab stop, the arrows switch.
  let f = await tabTo((f) => f.role === "tab");
  assert.equal(f.name, "The public issue");
  f = await press("ArrowRight");
  assert.ok(f.selected && f.name === "The private email", "ArrowRight selects the private email");
  await driver.waitForText("[data-testid='email-body']", (t) => t.includes("mira@foss.example"));
  await assertAccessible(driver, "recover: check your answers, the private email tab by keyboard");
  f = await press("ArrowLeft");
  assert.ok(f.selected && f.name === "The public issue");

  await tabTo((f) => f.id === "copy-username");
  await press("Enter");
  await driver.waitForText("[data-testid='handoff-message']", (t) => t.includes("copied"));
  assert.equal(clipboard(), "`mirafoss`");
  await assertFocusVisible(driver, "after copying");
});

test("the forget-draft dialog: the safe answer first, focus kept inside, Escape returns it", async () => {
  const request = {
    version: 1,
    username: "mirafoss",
    reason: "Lost my phone with the authenticator app.",
    recovery_codes_lost: true,
    code_of_conduct: true,
    acknowledge_delay: true,
    private: { emails: ["mira@foss.example"], new_email: "", projects: [], account_created: "", details: "" },
  };
  await driver.store("request_save_draft", { request });
  await driver.fresh();
  await driver.press("Control+1");
  await focusSettles((f) => f.tag === "h1", "Ctrl+1");
  // The draft is restored at its first step: Continue through to Check your answers.
  const step = () => driver.execute("return document.querySelector('main h2')?.textContent");
  for (let i = 0; i < 6 && (await step()) !== "Check your answers"; i++) {
    const was = await step();
    await tabTo((f) => f.id === "wizard-continue");
    await driver.press("Enter");
    await driver.waitForText("main h2", (t) => t !== was);
    await focusSettles(() => true, `the step after ${was}`);
  }
  const opener = await tabTo(named("Forget this draft…"));
  assert.equal(opener.tag, "button");
  let f = await press("Enter");
  assert.ok(f.inDialog && f.name === "Keep it", `the safe answer has focus, not ${f.name}`);
  await driver.screenshot("keyboard-confirm-dialog");
  await assertAccessible(driver, "recover: the forget-draft dialog");
  // Focus cycles inside the dialog (its buttons, and WebKit stops on the dialog itself as it
  // wraps) and never reaches the page behind it.
  const seen = new Set();
  const stop = (f) => (f.tag === "dialog" ? "(the dialog)" : f.name);
  for (let i = 0; i < 4; i++) seen.add(stop(await press("Tab")));
  for (let i = 0; i < 3; i++) seen.add(stop(await press("Shift+Tab")));
  assert.deepEqual([...seen].sort(), ["(the dialog)", "Forget it", "Keep it"]);
  f = await press("Escape");
  assert.equal(f.name, "Forget this draft…", "Escape returns focus to the opener");
  assert.equal(f.dialogOpen, false);
  const draft = await driver.execute("return document.querySelector('main').innerText.includes('Check your answers')");
  assert.ok(draft, "Escape forgot nothing");
  // Confirmed, the draft goes, and focus lands on the area's heading, not the page.
  await driver.press("Enter", "Shift+Tab", "Enter");
  await driver.waitForText("main", (t) => t.includes("The draft was deleted."));
  await focusSettles((f) => f.tag === "h1", "after forgetting the draft");
});

test("import codes → reveal → copy → mark used → undo, by keyboard", async () => {
  await driver.fresh();
  await driver.press("Control+2");
  await focusSettles((f) => f.tag === "h1" && f.name === "Recovery codes", "Ctrl+2 lands on the heading");
  await tabTo((f) => f.id === "codes-account");
  await press({ text: ACCOUNT });
  await tabTo((f) => f.id === "codes-text");
  await press({ text: CODES.join("\n") });
  await tabTo((f) => f.id === "codes-submit");
  await press("Enter");
  const card = `article[data-account='${ACCOUNT}']`;
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => t.includes("3\nof 3") || /3\s+of 3/.test(t));
  await assertAccessible(driver, "codes: a card for an account name with a space");
  // Its name comes from its heading, whatever the account is called.
  const label = await driver.execute("const a = document.querySelector(arguments[0]); return document.getElementById(a.getAttribute('aria-labelledby'))?.textContent", [card]);
  assert.equal(label, ACCOUNT);

  answerPrompts(true);
  await tabTo(inCard(ACCOUNT, "Reveal next code"));
  let f = await press("Enter");
  await driver.waitForText(`${card} [data-testid='revealed']`, (t) => t.includes("5a5b"));
  f = await focusSettles(inCard(ACCOUNT, "Hide"), "the reveal button, now Hide, keeps focus");
  await assertAccessible(driver, "codes: a code revealed by keyboard");
  await tabTo(inCard(ACCOUNT, "Copy next code"));
  await press("Enter");
  await driver.waitForText(`${card} [data-testid='clipboard-countdown']`, (t) => /clears in/.test(t));
  for (let i = 0; i < 30 && clipboard() !== CODES[0]; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(clipboard(), CODES[0]);
  await tabTo(inCard(ACCOUNT, "Mark code 1 as used"));
  await press("Enter");
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /2\s+of 3/.test(t));
  await focusSettles(inCard(ACCOUNT, "Mark code 2 as used"), "the mark button keeps focus");
  await tabTo(inCard(ACCOUNT, "Undo"));
  await press("Enter");
  await driver.waitForText(`${card} [data-testid='remaining']`, (t) => /3\s+of 3/.test(t));
  await focusSettles(inCard(ACCOUNT, "Mark code 1 as used"), "after undo, focus returns to the mark button");
});

test("import a TOTP link → show the code → check it against the phone, by keyboard", async () => {
  await driver.fresh();
  await driver.press("Control+3");
  await focusSettles((f) => f.tag === "h1" && f.name === "Authenticator", "Ctrl+3 lands on the heading");
  await tabTo((f) => f.id === "totp-link");
  await press({ text: `otpauth://totp/PyPI:kbd-totp?secret=${SECRET}&issuer=PyPI` });
  await tabTo(named("Store in keychain"));
  await press("Enter");
  const card = "article[data-account='kbd-totp']";
  await driver.find(card);
  await tabTo(inCard("kbd-totp", "Show code"), { max: 80 });
  await press("Enter");
  await driver.waitForText(`${card} [data-testid='totp-code'] .code`, (t) => /^\d{3} \d{3}$/.test(t.trim()));
  await focusSettles(inCard("kbd-totp", "Hide code"), "the show button, now Hide code, keeps focus");
  // Less motion: the countdown ring steps once a second instead of sweeping.
  const motion = await driver.execute("return { reduce: matchMedia('(prefers-reduced-motion: reduce)').matches, sweep: getComputedStyle(document.querySelector(arguments[0])).transitionDuration }", [`${card} .progress-arc`]);
  assert.deepEqual(motion, { reduce: true, sweep: "0s" });
  await tabTo((f) => f.account === "kbd-totp" && f.name === "Check against your phone");
  const code = execFileSync("oathtool", ["--totp", "--base32", SECRET], { encoding: "utf8" }).trim();
  await press({ text: code }, "Enter");
  await driver.waitForText(`${card} [data-testid='verdict']`, (t) => t.includes("It matches"));
  await assertAccessible(driver, "authenticator: a code checked by keyboard");
});

test("make a backup → check it, by keyboard", async () => {
  await driver.store("codes_import", { account: "kbd backup", text: CODES.join("\n") });
  await driver.fresh();
  await driver.press("Control+5");
  await focusSettles((f) => f.tag === "h1" && f.name === "Backup", "Ctrl+5 lands on the heading");
  const file = join(work, "keyboard-backup.age");
  await tabTo((f) => f.id === "export-passphrase");
  await press({ text: PASSPHRASE });
  await tabTo((f) => f.id === "export-confirm");
  await press({ text: PASSPHRASE });
  answerPrompts(file);
  await press("Enter"); // submits the form
  await driver.waitForText("[data-testid='exported']", (t) => t.includes("keyboard-backup.age"));
  assert.equal(readFileSync(file).subarray(0, 21).toString(), "age-encryption.org/v1");
  await tabTo(named("Check your backup now"));
  await driver.press("Enter");
  await focusSettles((f) => f.id === "check-passphrase", "the check's passphrase field");
  await press({ text: PASSPHRASE }, "Enter");
  await driver.waitForText("[data-testid='checked']", (t) => t.includes("kbd backup"));
  await assertFocusVisible(driver, "after the check");
});

test("the image and file pickers show their focus on the button a user sees", async () => {
  await driver.fresh();
  await driver.press("Control+2");
  await focusSettles((f) => f.tag === "h1", "Ctrl+2");
  const f = await tabTo((f) => f.id === "codes-file");
  assert.equal(f.tag, "input");
  await driver.screenshot("keyboard-file-picker-focus");
  // The QR image picker, behind its tab.
  await driver.press("Control+3");
  await focusSettles((f) => f.tag === "h1", "Ctrl+3");
  await tabTo((f) => f.role === "tab");
  assert.equal((await press("ArrowRight")).name, "QR code image");
  assert.equal((await tabTo((f) => f.id === "totp-image")).tag, "input");
});
