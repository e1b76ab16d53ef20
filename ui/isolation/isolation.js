// Tauri's isolation hook: every IPC message from the UI passes through here inside a
// sandboxed iframe before it reaches Rust. We only let our own commands and the two plugin
// calls we use through; anything else (injected script calling an unexpected command) is dropped.
window.__TAURI_ISOLATION_HOOK__ = (payload) => {
  const cmd = typeof payload.cmd === "string" ? payload.cmd : "";
  const allowed =
    /^[a-z][a-z0-9_]*$/.test(cmd) || cmd === "plugin:opener|open_url";
  if (!allowed) {
    throw new Error("Blocked IPC message: " + cmd);
  }
  return payload;
};
