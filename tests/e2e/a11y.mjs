// axe-core in the real window. WebDriver's Execute Script is not subject to the page's CSP, so
// the app's CSP stays as strict as it ships; axe runs in the page itself (its legacy in-page
// mode), because wry's WebDriver cannot open the second window axe's newer mode wants.
import assert from "node:assert/strict";
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
