// The one door from the UI to the app's core. Components receive a Backend and never call
// Tauri directly, so UI tests can hand them a fake one.
import type { AppError, KeychainStatus } from "./bindings";

export type { AppError, ErrorCode, KeychainStatus } from "./bindings";

/** A command's outcome: its value, or the typed `{code, message}` error. */
export type Outcome<T> =
  { status: "ok"; data: T } | { status: "error"; error: AppError };

export interface Backend {
  /** Checks that the OS keychain can store and read back a throwaway item. */
  keychainStatus(): Promise<Outcome<KeychainStatus>>;
  /** Opens an allowlisted https URL in the system browser. */
  openExternal(url: string): Promise<Outcome<null>>;
}

/** The sites the app links to; the desktop shell enforces the same list. */
export const EXTERNAL_ALLOWLIST = [
  "https://pypi.org/",
  "https://github.com/pypi/support/",
  "https://policies.python.org/",
  "https://haveibeenpwned.com/",
];

export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOWLIST.some((prefix) => url.startsWith(prefix));
}
