// Tauri's isolation hook: every IPC message from the UI passes through here, inside a
// sandboxed iframe, before it reaches Rust. A call gets through only when it names one of our
// commands (or the one plugin call the UI makes) with exactly the arguments that command
// takes, of the right JSON types (`commands.js`, generated from the Rust commands). Anything
// else, say script injected into the page passing a `path`, is refused here, before the
// capability check even runs.
const PLUGIN_ARGUMENTS = Object.freeze({
  "plugin:opener|open_url": { url: "string", with: "string?" },
  // Ctrl+= / Ctrl+- / Ctrl+0 page zoom (Tauri's zoomHotkeysEnabled, for low-vision users).
  "plugin:webview|set_webview_zoom": { value: "zoom" },
});

// Commands whose body is raw bytes (an image), not JSON, and the only headers they may carry.
const RAW_COMMANDS = Object.freeze({
  totp_import_image: ["x-account"],
});

function rawFits(allowed, message) {
  const bytes = message.payload;
  const headers = message.options?.headers ?? {};
  return (
    (ArrayBuffer.isView(bytes) || bytes instanceof ArrayBuffer) &&
    isPlainObject(headers) &&
    Object.entries(headers).every(
      ([name, value]) =>
        allowed.includes(name.toLowerCase()) && typeof value === "string",
    )
  );
}

function hasType(value, type) {
  if (type.endsWith("?")) {
    return (
      value === undefined || value === null || hasType(value, type.slice(0, -1))
    );
  }
  switch (type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    case "channel":
      // A Channel arrives as its IPC form, or as the cloned object holding its numeric id.
      return typeof value === "string"
        ? /^__CHANNEL__:\d+$/.test(value)
        : isPlainObject(value) && Number.isInteger(value.id);
    case "zoom":
      // Tauri's zoom hotkeys step between 20% and 1000%; nothing else is a zoom level.
      return Number.isFinite(value) && value >= 0.2 && value <= 10;
    default:
      return typeof value === type;
  }
}

// Only a plain object: a Map, an array or a byte buffer has no keys to check, yet reaches Rust.
function isPlainObject(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function argumentsFit(spec, args) {
  if (args === undefined || args === null) args = {};
  if (!isPlainObject(args)) return false;
  const known = Object.keys(args).every((name) => Object.hasOwn(spec, name));
  return (
    known &&
    Object.entries(spec).every(([name, type]) => hasType(args[name], type))
  );
}

window.__TAURI_ISOLATION_HOOK__ = (message) => {
  const cmd = typeof message.cmd === "string" ? message.cmd : "";
  if (Object.hasOwn(RAW_COMMANDS, cmd)) {
    if (!rawFits(RAW_COMMANDS[cmd], message))
      throw new Error("Blocked IPC call with unexpected arguments: " + cmd);
    return message;
  }
  const spec = Object.hasOwn(COMMAND_ARGUMENTS, cmd)
    ? COMMAND_ARGUMENTS[cmd]
    : Object.hasOwn(PLUGIN_ARGUMENTS, cmd)
      ? PLUGIN_ARGUMENTS[cmd]
      : null;
  if (spec === null) throw new Error("Blocked IPC call: " + cmd);
  if (!argumentsFit(spec, message.payload)) {
    throw new Error("Blocked IPC call with unexpected arguments: " + cmd);
  }
  return message;
};
