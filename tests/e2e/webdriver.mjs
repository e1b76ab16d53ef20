// A small W3C WebDriver client for driving the real desktop app through tauri-driver.
// Only what the end-to-end tests use; no dependencies beyond Node's own fetch.
import { execFileSync, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
// WebDriver's code points for the keys the keyboard-only tests press.
const KEYS = {
  Backspace: "\uE003",
  Tab: "\uE004",
  Enter: "\uE007",
  Shift: "\uE008",
  Control: "\uE009",
  Escape: "\uE00C",
  Space: "\uE00D",
  End: "\uE010",
  Home: "\uE011",
  ArrowLeft: "\uE012",
  ArrowUp: "\uE013",
  ArrowRight: "\uE014",
  ArrowDown: "\uE015",
};
const WINDOW_TITLE = "PyPI Recovery Assistant";

// The native dialogs Rust opens (file choosers, confirmations) are out of WebDriver's reach.
// The e2e build answers them from this file instead (the `scripted-prompts` test double):
// one JSON answer per line, `true`/`false` for a confirmation, a path (or null) for a file.
const PROMPTS = process.env.PYPI_RECOVERY_SCRIPTED_PROMPTS;

/** Queues the answers the next native prompts give, in order. */
export function answerPrompts(...answers) {
  appendFileSync(PROMPTS, answers.map((a) => JSON.stringify(a) + "\n").join(""));
}

/** Every native prompt shown so far: `{kind, question: {title, message, …}}`. */
export function askedPrompts() {
  try {
    return readFileSync(`${PROMPTS}.asked`, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** Waits until `count` native prompts have been shown, and returns the last one. */
export async function promptShown(count, { timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const asked = askedPrompts();
    if (asked.length >= count) return asked[count - 1];
    if (Date.now() > deadline) throw new Error(`only ${asked.length} native prompts were shown, not ${count}`);
    await sleep(100);
  }
}

export class Driver {
  /**
   * With `capture`, the app's stdout and stderr (through the drivers) are kept in `output`;
   * `env` is the environment the drivers, and so the app, start with.
   */
  static async start({ application, port = 4444, artifacts, capture = false, env = process.env }) {
    // Each file starts with no queued answers: one an earlier file left unused would otherwise
    // answer this file's first prompt. (The log of questions asked is kept.)
    if (PROMPTS) writeFileSync(PROMPTS, "");
    const stdio = capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"];
    const child = spawn("tauri-driver", ["--port", String(port)], { stdio, env });
    const output = [];
    if (capture) for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => output.push(chunk));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${base}/status`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error("tauri-driver did not start");
      await sleep(100);
    }
    const before = appProcesses(application);
    const driver = new Driver(base, child, artifacts);
    driver.output = output;
    const session = await driver.#send("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application } } },
    });
    driver.session = session.sessionId;
    driver.application = application;
    driver.processes = appProcesses(application).filter((pid) => !before.includes(pid));
    return driver;
  }

  constructor(base, child, artifacts) {
    this.base = base;
    this.child = child;
    this.artifacts = artifacts;
  }

  async #send(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${json.value?.message ?? res.status}`);
    return json.value;
  }

  cmd(method, path, body) {
    return this.#send(method, `/session/${this.session}${path}`, body);
  }

  /**
   * Starts a test from a known place, whatever the tests before it did: the page loaded afresh
   * (nothing is left of their screens, focus or element handles), with `area` opened by a
   * click if one is named. What they stored stays stored, so a test that needs stored secrets
   * keeps them under its own account.
   */
  async fresh(area = null) {
    await this.cmd("POST", "/refresh", {});
    await this.find("main h1");
    if (area === null) return;
    await (await this.find(`.nav-item[data-area='${area}']`)).click();
    await this.find(`main[data-area='${area}']`);
  }

  /** Calls `cmd` as the page would, for what a test starts from; throws unless it succeeded. */
  async store(cmd, args, { wait = 20000 } = {}) {
    const result = await this.invoke(cmd, args, { wait });
    if (!("ok" in result)) throw new Error(`${cmd} did not succeed: ${JSON.stringify(result)}`);
    return result.ok;
  }

  /** Waits until `selector` matches an element, then returns it. */
  async find(selector, { timeout = 10000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const found = await this.cmd("POST", "/element", { using: "css selector", value: selector });
        return new Element(this, found[ELEMENT_KEY]);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no element matches ${selector}: ${error.message}`);
        await sleep(100);
      }
    }
  }

  /**
   * Waits for a button as a user finds it: by its accessible name (its aria-label, else its
   * text, spaces collapsed), inside `within`. `name` is the exact name or a RegExp.
   */
  async button(name, { within = "body", timeout = 10000 } = {}) {
    const [pattern, flags] = name instanceof RegExp ? [name.source, name.flags] : [`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, ""];
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await this.execute(
        `const wanted = new RegExp(arguments[1], arguments[2]);
         return [...document.querySelectorAll(arguments[0] + " button")].find((b) =>
           wanted.test((b.getAttribute("aria-label") ?? b.textContent).replace(/\\s+/g, " ").trim())) ?? null;`,
        [within, pattern, flags],
      );
      if (found) return new Element(this, found[ELEMENT_KEY]);
      if (Date.now() > deadline) throw new Error(`no button named ${name} in ${within}`);
      await sleep(100);
    }
  }

  /** Waits until `predicate` (run with the element's text) holds for `selector`. */
  async waitForText(selector, predicate, { timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    let last = "";
    for (;;) {
      try {
        last = await (await this.find(selector, { timeout: 1000 })).text();
        if (predicate(last)) return last;
      } catch {
        // keep waiting
      }
      if (Date.now() > deadline) throw new Error(`${selector} never matched; last text: ${JSON.stringify(last)}`);
      await sleep(150);
    }
  }

  /** Waits until nothing matches `selector` (an element that goes away, such as a countdown). */
  async waitGone(selector, { timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    while (await this.execute("return document.querySelector(arguments[0]) !== null", [selector])) {
      if (Date.now() > deadline) throw new Error(`${selector} is still there`);
      await sleep(100);
    }
  }

  execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Runs `script` with a callback as its last argument, and resolves to what it is called with. */
  executeAsync(script, args = []) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /**
   * Calls a command the way any script in the page could, through Tauri's isolation hook.
   * Resolves to `{ ok }` or `{ error }`, or to `{ pending: true }` when no answer came within
   * `wait` ms (the hook drops a refused call: it never reaches Rust).
   */
  async invoke(cmd, args, { wait = 5000 } = {}) {
    await this.execute(
      `window.__e2eInvoke = null;
       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
         (ok) => (window.__e2eInvoke = { ok }),
         (error) => (window.__e2eInvoke = { error }));`,
      [cmd, args],
    );
    return this.invoked({ wait });
  }

  /** What the last `invoke` resolved to, waiting up to `wait` ms; `{ pending: true }` if not yet. */
  async invoked({ wait = 5000 } = {}) {
    const deadline = Date.now() + wait;
    for (;;) {
      const result = await this.execute("return window.__e2eInvoke");
      if (result) return result;
      if (Date.now() > deadline) return { pending: true };
      await sleep(100);
    }
  }

  /**
   * Presses keys as a keyboard would, through WebDriver's input actions (into whatever has
   * focus; nothing is clicked or focused first). Each argument is a key name ("Tab"), a chord
   * ("Shift+Tab", "Control+2"), or with `{ text }` a string typed one character at a time.
   */
  async press(...keys) {
    const actions = [];
    for (const key of keys) {
      if (typeof key === "object") {
        for (const char of key.text) {
          const value = char === "\n" ? KEYS.Enter : char;
          actions.push({ type: "keyDown", value }, { type: "keyUp", value });
        }
        continue;
      }
      const chord = key.split("+").map((k) => KEYS[k] ?? k);
      for (const k of chord) actions.push({ type: "keyDown", value: k });
      for (const k of chord.reverse()) actions.push({ type: "keyUp", value: k });
    }
    await this.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.cmd("DELETE", "/actions");
  }

  /** Resizes the window (outer size, in CSS pixels). */
  setWindowSize(width, height) {
    return this.cmd("POST", "/window/rect", { width, height });
  }

  title() {
    return this.cmd("GET", "/title");
  }

  /**
   * Saves a PNG of the window, as the X server shows it, to the artifacts folder, once the frame
   * is current: two captures 150 ms apart are the same (or 1.6 s have passed, for a page with a
   * countdown or a caret that never holds still). Not WebDriver's screenshot: the app paints
   * without the GPU, and there WebKitWebDriver's snapshot sometimes never answers.
   */
  async screenshot(name) {
    const window = execFileSync("xdotool", ["search", "--onlyvisible", "--name", `^${WINDOW_TITLE}$`], { encoding: "utf8" }).trim().split("\n")[0];
    mkdirSync(this.artifacts, { recursive: true });
    const path = join(this.artifacts, `${name}.png`);
    const capture = () => execFileSync("xwd", ["-silent", "-id", window], { maxBuffer: 64 << 20 });
    await sleep(200); // a repaint that has not started yet would give two equal, stale frames
    let xwd = capture();
    for (let i = 0; i < 9; i++) {
      await sleep(150);
      const again = capture();
      if (again.equals(xwd)) break;
      xwd = again;
    }
    writeFileSync(path, execFileSync("sh", ["-c", "xwdtopnm 2>/dev/null | pnmtopng"], { input: xwd, maxBuffer: 64 << 20 }));
    return path;
  }

  /** Ends the session, which closes the window; the app must then exit on its own. */
  async stop() {
    try {
      if (this.session) await this.#send("DELETE", `/session/${this.session}`);
    } finally {
      this.child.kill();
    }
    const left = () => appProcesses(this.application).filter((pid) => this.processes?.includes(pid));
    for (let i = 0; i < 50 && left().length; i++) await sleep(100);
    const stuck = left();
    // Seen once in many runs, cause not yet known: a user closing the window would be left with
    // the process. Its threads' stacks go to the artifacts, and it is killed so that the next
    // file starts clean (its open stderr would otherwise keep node's test runner waiting).
    for (const pid of stuck) {
      mkdirSync(this.artifacts, { recursive: true });
      const stacks = join(this.artifacts, `stuck-app-${pid}.txt`);
      try {
        writeFileSync(stacks, execFileSync("gdb", ["-p", String(pid), "-batch", "-ex", "thread apply all bt"], { encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "ignore"] }));
      } catch (error) {
        writeFileSync(stacks, `gdb failed: ${error.message}`);
      }
      process.kill(pid, "SIGKILL");
      console.warn(`warning: the app (pid ${pid}) did not exit when its window closed; its stacks: ${stacks}`);
    }
  }
}

/** The running processes of the app binary at `application`. */
function appProcesses(application) {
  try {
    return execFileSync("pgrep", ["-x", "-f", application], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

class Element {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }
  click() {
    return this.driver.cmd("POST", `/element/${this.id}/click`, {});
  }
  text() {
    return this.driver.cmd("GET", `/element/${this.id}/text`);
  }
  type(text) {
    return this.driver.cmd("POST", `/element/${this.id}/value`, { text });
  }
  attribute(name) {
    return this.driver.cmd("GET", `/element/${this.id}/attribute/${name}`);
  }
}
