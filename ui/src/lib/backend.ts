// The one door from the UI to the app's core. Components receive a Backend and never call
// Tauri directly, so UI tests can hand them a fake one. Its type comes from the generated
// bindings, so a new or changed command changes it too.
import type { commands } from "./bindings";
import type {
  AppError_Serialize as AppError,
  CodesSummary,
  Copied_Serialize as Copied,
  KeychainStatus_Serialize as KeychainStatus,
  RevealedCode,
  Check,
  Draft_Serialize as Draft,
  PathAdvice_Serialize as PathAdvice,
  PathStep_Serialize as PathStep,
  Answers_Deserialize as Answers,
  Question_Serialize as Question,
  CodesSearch_Serialize as CodesSearch,
  FoundCodes_Serialize as FoundCodes,
  FindProgress,
  ProjectRoles_Serialize as ProjectRoles,
  Preview_Serialize as Preview,
  Request_Serialize as Request,
  Submission_Serialize as Submission,
  Strength_Serialize as Strength,
  Pwned,
  GeneratedPassphrase,
  TotpSummary_Serialize as TotpSummary,
  TotpCode_Serialize as TotpCode,
  TotpCheck,
  TotpRevealed_Serialize as TotpRevealed,
  TotpManual_Deserialize as TotpManual,
  Contents_Serialize as BackupContents,
  RestorePlan_Serialize as RestorePlan,
  PaperPage_Serialize as PaperPage,
  SavedBackup_Serialize as SavedBackup,
  VaultStatus,
  RequestStatus_Serialize as RequestStatus,
  BranchCheck,
  BranchCommands,
  ProjectEvidence_Serialize as ProjectEvidence,
} from "./bindings";

export type {
  CodesSummary,
  ErrorCode,
  ErrorDetail,
  RevealedCode,
} from "./bindings";
export type {
  AppError,
  Copied,
  KeychainStatus,
  Check,
  Draft,
  PathAdvice,
  PathStep,
  Answers,
  Question,
  CodesSearch,
  FoundCodes,
  FindProgress,
  ProjectRoles,
  Preview,
  Request,
  Submission,
  Strength,
  Pwned,
  GeneratedPassphrase,
  TotpSummary,
  TotpCode,
  TotpCheck,
  TotpRevealed,
  TotpManual,
  BackupContents,
  RestorePlan,
  PaperPage,
  SavedBackup,
  VaultStatus,
  RequestStatus,
  BranchCheck,
  BranchCommands,
  ProjectEvidence,
};
export type { Algorithm, QrMatrix } from "./bindings";
export type { FieldError, Finding, QuestionId } from "./bindings";

/** A command's outcome: its value, or the typed `{code, message}` error. */
export type Outcome<T> =
  { status: "ok"; data: T } | { status: "error"; error: AppError };

type Commands = typeof commands;

/** What a command gives when it succeeds: a Result's data, or an infallible command's value. */
type Data<R> =
  Awaited<R> extends infer A
    ? A extends { status: "ok"; data: infer T }
      ? T
      : A extends { status: "error" }
        ? never
        : A
    : never;

/** Every generated command as the UI calls it: the same name and arguments, and an Outcome
 * even where the command cannot fail, because Tauri can still refuse a call. */
type Generated = {
  [K in keyof Commands]: (
    ...args: Parameters<Commands[K]>
  ) => Promise<Outcome<Data<ReturnType<Commands[K]>>>>;
};

/** The commands (documented in bindings.ts, from the Rust doc comments), with three that
 * the generated binding cannot call as they are, and two that are the webview's own. */
export type Backend = Omit<Generated, "codesFind" | "totpImportImage"> & {
  /** codes_find, its progress channel given as a callback. */
  codesFind(
    onProgress: (progress: FindProgress) => void,
  ): Promise<Outcome<CodesSearch>>;
  /** totp_import_image: the image's bytes go as the raw body, the account in a header. */
  totpImportImage(
    account: string | null,
    image: Uint8Array,
  ): Promise<Outcome<TotpSummary>>;
  /** Opens the system print dialog for the current page. */
  print(): void;
  /** Opens an allowlisted https URL (or PyPI's support address) in the system's handler. */
  openExternal(url: string): Promise<Outcome<null>>;
};

/** True when the user pressed Cancel in a native confirmation: nothing changed, nothing to say. */
export function cancelled<T>(outcome: Outcome<T>): boolean {
  return outcome.status === "error" && outcome.error.code === "cancelled";
}

/** The core's limits, for pre-checks that spare a round trip (the core checks again). */
export {
  FORM_OPTIONS,
  MAX_CODES_BYTES,
  MAX_QR_IMAGE_BYTES,
  MIN_PASSPHRASE_CHARS,
} from "./bindings";

/** Characters as the core counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

/** PyPI's page where a signed-in user generates a new set of recovery codes. */
export const REGENERATE_CODES_URL =
  "https://pypi.org/manage/account/two-factor/";

/** The sites the app links to; the desktop shell enforces the same list. */
/** PyPI's account page, where the security history is. */
export const ACCOUNT_SECURITY_URL = "https://pypi.org/manage/account/";

export const EXTERNAL_ALLOWLIST = [
  "https://pypi.org/",
  "https://test.pypi.org/",
  "https://peps.python.org/pep-0541/",
  "https://github.com/pypi/support/",
  "https://policies.python.org/",
  "https://haveibeenpwned.com/",
];

/** The one address the app writes to; matched exactly, with or without a query. */
const SUPPORT_MAILTO = "mailto:support@pypi.org";

export function isAllowedExternal(url: string): boolean {
  if (url.startsWith("mailto:")) {
    return url === SUPPORT_MAILTO || url.startsWith(`${SUPPORT_MAILTO}?`);
  }
  return EXTERNAL_ALLOWLIST.some((prefix) => url.startsWith(prefix));
}
