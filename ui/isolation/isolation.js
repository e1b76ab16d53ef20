// Tauri's isolation hook: every IPC message from the UI passes through here, inside a
// sandboxed iframe, before it reaches Rust. Only our own commands and the few plugin calls
// the UI makes get through; anything else (say, script injected into the page calling an
// unexpected plugin) is refused here, before the capability check even runs.
const ALLOWED_PLUGIN_CALLS = new Set([
  "plugin:opener|open_url",
  "plugin:dialog|open",
  "plugin:dialog|save",
]);

window.__TAURI_ISOLATION_HOOK__ = (payload) => {
  const cmd = typeof payload.cmd === "string" ? payload.cmd : "";
  if (!/^[a-z][a-z0-9_]*$/.test(cmd) && !ALLOWED_PLUGIN_CALLS.has(cmd)) {
    throw new Error("Blocked IPC call: " + cmd);
  }
  return payload;
};
