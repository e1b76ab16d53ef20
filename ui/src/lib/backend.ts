// The one door from the UI to the app's core. Components receive a Backend and never call
// Tauri directly, so UI tests can hand them a fake one.
import type {
  AppError,
  CodesSummary,
  Copied_Serialize as Copied,
  KeychainStatus_Serialize as KeychainStatus,
  RevealedCode,
} from "./bindings";

export type {
  AppError,
  CodesSummary,
  ErrorCode,
  RevealedCode,
} from "./bindings";
export type { Copied, KeychainStatus };

/** A command's outcome: its value, or the typed `{code, message}` error. */
export type Outcome<T> =
  { status: "ok"; data: T } | { status: "error"; error: AppError };

export interface Backend {
  /** Checks that the OS keychain can store and read back a throwaway item. */
  keychainStatus(): Promise<Outcome<KeychainStatus>>;
  /** Accounts with stored recovery codes: counts and used marks, never codes. */
  codesList(): Promise<Outcome<CodesSummary[]>>;
  /** Stores the codes in `text` for `account`, all or nothing. */
  codesImport(
    account: string,
    text: string,
    replace: boolean,
  ): Promise<Outcome<CodesSummary>>;
  /** Shows the first unused code (only on the user's explicit request). */
  codesRevealNext(account: string): Promise<Outcome<RevealedCode>>;
  /** Copies the first unused code; the clipboard clears itself. */
  codesCopyNext(account: string): Promise<Outcome<Copied>>;
  /** Marks the code at `index` used, or undoes that. */
  codesSetUsed(
    account: string,
    index: number,
    used: boolean,
  ): Promise<Outcome<CodesSummary>>;
  /** Removes an account's codes. */
  codesRemove(account: string): Promise<Outcome<boolean>>;
  /** Opens an allowlisted https URL in the system browser. */
  openExternal(url: string): Promise<Outcome<null>>;
}

/** PyPI's page where a signed-in user generates a new set of recovery codes. */
export const REGENERATE_CODES_URL =
  "https://pypi.org/manage/account/two-factor/";

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
