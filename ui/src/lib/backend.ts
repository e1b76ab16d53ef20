// The one door from the UI to the app's core. Components receive a Backend and never call
// Tauri directly, so UI tests can hand them a fake one.
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
  RequestStatus,
  BranchCheck,
  BranchCommands,
  ProjectEvidence,
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

export interface Backend {
  /** Checks that the OS keychain can store and read back a throwaway item. */
  keychainStatus(): Promise<Outcome<KeychainStatus>>;
  /** Accounts with stored recovery codes: counts and used marks, never codes. */
  codesList(): Promise<Outcome<CodesSummary[]>>;
  /** Looks for saved recovery codes on this computer; never returns a code. */
  codesFind(
    onProgress: (progress: FindProgress) => void,
  ): Promise<Outcome<CodesSearch>>;
  /** Imports a set the last search found (all or nothing; replacing asks natively). */
  codesImportFound(id: number, account: string): Promise<Outcome<CodesSummary>>;
  /** Shows a found file in the system's file manager. */
  codesShowFound(id: number): Promise<Outcome<null>>;
  /** Stores the codes in `text` for `account`, all or nothing (replacing asks natively). */
  codesImport(account: string, text: string): Promise<Outcome<CodesSummary>>;
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
  /** Removes an account's codes, once the user confirms natively. */
  codesRemove(account: string): Promise<Outcome<boolean>>;
  /** Accounts with an authenticator backup, never the secrets. */
  totpList(): Promise<Outcome<TotpSummary[]>>;
  /** Stores the key in a pasted otpauth:// link (named after the link when `account` is null). */
  totpImportLink(
    account: string | null,
    link: string,
  ): Promise<Outcome<TotpSummary>>;
  /** Stores the key in the QR code of a PNG or JPEG image's bytes. */
  totpImportImage(
    account: string | null,
    image: Uint8Array,
  ): Promise<Outcome<TotpSummary>>;
  /** Stores a key typed by hand. */
  totpImportManual(
    account: string | null,
    entry: TotpManual,
  ): Promise<Outcome<TotpSummary>>;
  /** The current code of an account the user opened. */
  totpCode(account: string): Promise<Outcome<TotpCode>>;
  /** Copies the current code; the clipboard clears itself. */
  totpCopyCode(account: string): Promise<Outcome<Copied>>;
  /** Compares the code the phone shows with the backup. */
  totpVerify(account: string, code: string): Promise<Outcome<TotpCheck>>;
  /** The secret as a QR code and text, for a new phone, once the user confirms natively. */
  totpReveal(account: string): Promise<Outcome<TotpRevealed>>;
  /** Removes an account's backup, once the user confirms natively. */
  totpRemove(account: string): Promise<Outcome<boolean>>;
  /** Encrypts everything stored and asks natively where to save it; null when cancelled. */
  backupExport(passphrase: string): Promise<Outcome<SavedBackup | null>>;
  /** Asks natively for the backup to check or restore; its name, or null when cancelled. */
  backupChooseFile(): Promise<Outcome<string | null>>;
  /** Decrypts the chosen backup and shows what it holds. */
  backupVerify(passphrase: string): Promise<Outcome<BackupContents>>;
  /** What restoring the chosen backup would change (`apply` false), or restores it: all or
   * nothing, replacing what differs only once the user confirms natively. */
  backupRestore(
    passphrase: string,
    apply: boolean,
  ): Promise<Outcome<RestorePlan>>;
  /** Every code and (optionally) authenticator QR code, for printing, once confirmed natively. */
  paperKit(includeQr: boolean): Promise<Outcome<PaperPage[]>>;
  /** Whether the encrypted vault file is in use, and locked. */
  vaultStatus(): Promise<Outcome<VaultStatus>>;
  /** Creates or unlocks the vault file, and uses it instead of the keychain. */
  vaultOpen(passphrase: string): Promise<Outcome<VaultStatus>>;
  /** Locks the vault file now. */
  vaultLock(): Promise<Outcome<VaultStatus>>;
  /** Goes back to the OS keychain. */
  vaultLeave(): Promise<Outcome<VaultStatus>>;
  /** Opens the system print dialog for the current page. */
  print(): void;
  /** The filed issue's state and queue position (asks GitHub; at most once a minute). */
  requestStatus(issueUrl: string): Promise<Outcome<RequestStatus>>;
  /** The issue link remembered in the submission log, if any. */
  requestTrackedIssue(): Promise<Outcome<string | null>>;
  /** The git commands for PyPI's token (checked offline). */
  requestBranchCommands(token: string): Promise<Outcome<BranchCommands>>;
  /** Whether the token's branch exists in the public repository (asks GitHub). */
  requestVerify(repo: string, token: string): Promise<Outcome<BranchCheck>>;
  /** Role and repositories for each project (asks PyPI). */
  requestEvidence(
    username: string,
    projects: string[],
  ): Promise<Outcome<ProjectEvidence[]>>;
  /** The path finder's questions that matter so far, and the advice once all are answered. */
  requestPathStep(answers: Answers): Promise<Outcome<PathStep>>;
  /** "Forgot your username?": a project's owners and maintainers (asks PyPI). */
  requestWhoami(project: string): Promise<Outcome<ProjectRoles>>;
  /** Validation errors and guard findings. */
  requestCheck(request: Request): Promise<Outcome<Check>>;
  /** The public issue, the form URL and the private email. */
  requestPreview(
    request: Request,
    issueUrl: string | null,
  ): Promise<Outcome<Preview>>;
  /** The autosaved draft. */
  requestLoadDraft(): Promise<Outcome<Draft>>;
  /** Autosaves the draft. */
  requestSaveDraft(request: Request): Promise<Outcome<null>>;
  /** Deletes the draft. */
  requestForgetDraft(): Promise<Outcome<null>>;
  /** Earlier hand-offs for this username. */
  requestEarlier(username: string): Promise<Outcome<Submission[]>>;
  /** Records a hand-off to GitHub. */
  requestRecordHandOff(username: string): Promise<Outcome<Submission>>;
  /** Saves the request where the user picks natively; false when they cancel. */
  requestExport(request: Request): Promise<Outcome<boolean>>;
  /** Reads a request file the user picks natively; null when they cancel. */
  requestImport(): Promise<Outcome<Request | null>>;
  /** Copies non-secret text to the clipboard. */
  copyText(text: string): Promise<Outcome<null>>;
  /** zxcvbn's verdict with PyPI's rule (computed off the main thread). */
  passwordCheck(
    password: string,
    userInputs: string[],
  ): Promise<Outcome<Strength>>;
  /** The opt-in breach check (sends a 5-character hash prefix). */
  passwordPwned(password: string): Promise<Outcome<Pwned>>;
  /** A passphrase from the EFF large wordlist. */
  passphraseGenerate(
    words: number,
    separator: string,
  ): Promise<Outcome<GeneratedPassphrase>>;
  /** Copies a secret; the clipboard clears itself. */
  copySecret(text: string): Promise<Outcome<Copied>>;
  /** Opens an allowlisted https URL in the system browser. */
  openExternal(url: string): Promise<Outcome<null>>;
}

/** True when the user pressed Cancel in a native confirmation: nothing changed, nothing to say. */
export function cancelled<T>(outcome: Outcome<T>): boolean {
  return outcome.status === "error" && outcome.error.code === "cancelled";
}

/** The largest image the app reads for a QR code (the core refuses larger ones too). */
export const MAX_QR_IMAGE_BYTES = 20_000_000;

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
