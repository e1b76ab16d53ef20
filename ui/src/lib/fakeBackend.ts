// An in-memory Backend for UI tests: it records calls and answers with what the test set.
// It is deliberately simple (one code per non-empty line); the real rules live in Rust.
import type {
  AppError,
  Backend,
  Check,
  CodesSummary,
  KeychainStatus,
  Outcome,
  PathAdvice,
  Question,
  CodesSearch,
  ProjectRoles,
  Request,
  Submission,
  Pwned,
  Strength,
  TotpSummary,
  BackupContents,
  VaultStatus,
  RequestStatus,
  BranchCheck,
  ProjectEvidence,
} from "./backend";
import { charCount, MIN_PASSPHRASE_CHARS } from "./backend";
import { emptyRequest } from "./request";

/** A stand-in verdict: longer is stronger. The real rules live in Rust. */
function simpleStrength(password: string): Strength {
  const score = Math.min(4, Math.floor(password.length / 4));
  const time = { seconds: 10 ** score, display: `${score} units` };
  return {
    score,
    guesses_log10: score * 2.5,
    crack_times: {
      online_throttling: time,
      online_no_throttling: time,
      offline_slow_hashing: time,
      offline_fast_hashing: time,
    },
    pypi_accepts: score >= 2,
    meets_recommendation: score >= 4 && password.length >= 12,
    warning:
      score < 2 ? "This is one of the most commonly used choices." : null,
    suggestions: score < 4 ? ["Use four or more random words."] : [],
    analyzed_chars: Math.min(64, password.length),
    length: password.length,
  };
}

interface FakeSet {
  codes: string[];
  used: boolean[];
  imported: string;
}

/** A stored fake authenticator key: the summary, and the one code it always shows. */
interface FakeTotp {
  summary: TotpSummary;
  secret: string;
}

/** The fake's codes: now, and the step after (the real ones come from Rust). */
export const FAKE_TOTP_CODE = "123456";
export const FAKE_TOTP_NEXT = "654321";
/** A code the fake treats as "from a clock that is off". */
export const FAKE_TOTP_SKEWED = "999999";

/** The fake's backup files: path → passphrase and contents. */
interface FakeBackupFile {
  passphrase: string;
  contents: BackupContents;
}

export interface FakeBackend extends Backend {
  /** What the status check answers. */
  status: RequestStatus;
  /** What the branch check answers. */
  branch: BranchCheck;
  /** What the evidence lookup answers. */
  evidence: ProjectEvidence[];
  backups: Map<string, FakeBackupFile>;
  vault: VaultStatus;
  printed: number;
  totp: Map<string, FakeTotp>;
  /** Seconds left in the period that `totpCode` reports. */
  totpSecondsLeft: number;

  calls: string[];
  keychain: Outcome<KeychainStatus>;
  opened: string[];
  sets: Map<string, FakeSet>;
  /** When set, the next command fails with this error and changes nothing (then it is cleared). */
  failNext: AppError | null;
  /** When set, `failNext` waits for this command; otherwise the next command of any kind fails. */
  failCommand: keyof Backend | null;
  /** The answers of the native confirmations Rust shows, in order; once empty, yes. */
  confirms: boolean[];
  /** The titles of the native confirmations shown. */
  asked: string[];
  /** What the native file dialogs answer; null when the user cancels them. */
  dialogPath: string | null;
  /** The backup chosen in the native open dialog. */
  chosenBackup: string | null;
  /** What the path finder answers once every question in `questions` is answered. */
  advice: PathAdvice;
  /** The path finder's questions, asked one after another (the real ones come from Rust). */
  questions: Question[];
  /** What "find my recovery codes" answers, and the progress it reports first. */
  found: CodesSearch;
  /** What "forgot your username?" answers. */
  roles: ProjectRoles;
  /** What the check answers; by default, "required" errors for empty public fields. */
  check: ((request: Request) => Check) | null;
  draft: Request | null;
  /** The request file the open dialog "picks"; null is a cancelled dialog. */
  requestFile: Request | null;
  submissions: Submission[];
  copied: string[];
  /** Passwords checked, in order (to test debouncing). */
  checked: string[];
  /** What the breach check answers. */
  pwned: Pwned;
}

/** A stand-in for the core's secret::grouped, for the fake's answers. */
function groups(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** What the core reads from a request the UI sends: absent fields take their defaults, as
 * serde's `#[serde(default)]` gives them. */
function withDefaults(
  request: Parameters<Backend["requestCheck"]>[0],
): Request {
  const empty = emptyRequest();
  return {
    ...empty,
    ...request,
    private: { ...empty.private, ...request.private },
  };
}

/** A stand-in for the core's validation: just enough to drive the wizard in tests. */
function simpleCheck(request: Request): Check {
  const errors: Check["errors"] = [];
  if (!request.username.trim())
    errors.push({ field: "username", message: "Enter your PyPI username" });
  if (!request.reason.trim())
    errors.push({ field: "reason", message: "Say why you cannot sign in" });
  for (const field of [
    "recovery_codes_lost",
    "code_of_conduct",
    "acknowledge_delay",
  ] as const) {
    if (!request[field]) errors.push({ field, message: `Confirm ${field}` });
  }
  const findings = /@/.test(request.reason)
    ? [
        {
          field: "reason",
          kind: "email" as const,
          message: "The reason contains an email address.",
        },
      ]
    : [];
  return { errors, findings };
}

const ok = <T>(data: T): Outcome<T> => ({ status: "ok", data });

export function fakeBackend(overrides: Partial<FakeBackend> = {}): FakeBackend {
  const summary = (account: string, set: FakeSet): CodesSummary => {
    const remaining = set.used.filter((u) => !u).length;
    return {
      account,
      total: set.codes.length,
      remaining,
      imported: set.imported,
      used: [...set.used],
      low: remaining <= 2,
    };
  };
  const confirm = (title: string): Outcome<never> | null => {
    fake.asked.push(title);
    if (fake.confirms.shift() ?? true) return null;
    return {
      status: "error",
      error: {
        code: "cancelled",
        message: "Cancelled. Nothing was changed.",
        detail: null,
      },
    };
  };
  // Like Rust: once per account, the first reveal or copy asks.
  const inUse = new Set<string>();
  const agreeToUse = (account: string): Outcome<never> | null => {
    if (inUse.has(account)) return null;
    const cancelled = confirm(`Use the recovery codes for ${account}?`);
    if (!cancelled) inUse.add(account);
    return cancelled;
  };
  const missing = (account: string): Outcome<never> => ({
    status: "error",
    error: {
      code: "codes_unknown_account",
      message: `No recovery codes are stored for “${account}”.`,
      detail: { kind: "account", account },
    },
  });

  const totpMissing = (account: string): Outcome<never> => ({
    status: "error",
    error: {
      code: "totp_unknown_account",
      message: `No authenticator backup is stored for “${account}”.`,
      detail: { kind: "account", account },
    },
  });
  // Just enough of the link format to drive the UI; the real parser is in Rust.
  const storeTotp = (
    account: string | null,
    secret: string,
    label: string,
    issuer: string | null,
  ): Outcome<TotpSummary> => {
    const name = account?.trim() || label || issuer || "authenticator";
    secret = secret.replace(/\s/g, "");
    if (fake.totp.has(name)) {
      const cancelled = confirm(
        `Replace the authenticator backup for ${name}?`,
      );
      if (cancelled) return cancelled;
    }
    const summary: TotpSummary = {
      account: name,
      issuer,
      label,
      algorithm: "SHA1",
      digits: 6,
      period: 30,
      secret_bits: secret.length * 5,
      weak: secret.length * 5 < 128,
      imported: "2026-11-24T10:00:00Z",
    };
    fake.totp.set(name, { summary, secret });
    return ok(summary);
  };
  const parseLink = (link: string) => {
    const match = /^otpauth:\/\/totp\/(?:([^:?]*):)?([^?]*)\?(.*)$/i.exec(
      link.trim(),
    );
    if (!match) return null;
    const params = new URLSearchParams(match[3]);
    const secret = params.get("secret");
    if (!secret) return null;
    return {
      secret,
      label: decodeURIComponent(match[2]),
      issuer: params.get("issuer") ?? match[1] ?? null,
    };
  };

  const contentsNow = (): BackupContents => {
    const names = new Set([...fake.sets.keys(), ...fake.totp.keys()]);
    return {
      created: "2026-11-24T10:00:00Z",
      accounts: [...names].sort().map((account) => {
        const set = fake.sets.get(account);
        const totp = fake.totp.get(account);
        return {
          account,
          recovery_codes: set
            ? [set.codes.length, set.used.filter((u) => !u).length]
            : null,
          totp: totp
            ? `${totp.summary.issuer ?? ""}: ${totp.summary.label}`
            : null,
        };
      }),
    };
  };
  const openBackup = (
    path: string,
    passphrase: string,
  ): Outcome<BackupContents> => {
    const file = fake.backups.get(path);
    if (!file)
      return {
        status: "error",
        error: {
          code: "file",
          message: `${path} could not be read.`,
          detail: null,
        },
      };
    if (file.passphrase !== passphrase)
      return {
        status: "error",
        error: {
          code: "backup_wrong_passphrase",
          message: "The passphrase is wrong: it does not open this file.",
          detail: null,
        },
      };
    return ok(file.contents);
  };

  const fake: FakeBackend = {
    status: {
      url: "https://github.com/pypi/support/issues/4321",
      state: "open",
      state_reason: null,
      comments: 2,
      created_at: "2026-10-01T12:00:00Z",
      updated_at: "2026-10-03T09:00:00Z",
      labels: ["account-recovery", "awaiting response"],
      queue_position: 37,
      queue_note: null,
      advice: ["PyPI is waiting for your reply."],
      follow_up_due: false,
    },
    branch: {
      ok: true,
      message: "The branch is in alice/tools, which is public.",
      commands: {
        push: "git push origin HEAD:refs/heads/aB3dE5gH7jK9mN1p",
        delete: "git push origin --delete aB3dE5gH7jK9mN1p",
      },
    },
    evidence: [
      {
        project: "alice-tools",
        role: "Owner",
        repositories: ["https://github.com/alice/tools"],
        first_release: "2019-04-02",
        error: null,
      },
      {
        project: "missing-one",
        role: null,
        repositories: [],
        first_release: null,
        error: "PyPI has no project called “missing-one”.",
      },
    ],
    calls: [],
    backups: new Map(),
    printed: 0,
    vault: {
      in_use: false,
      exists: false,
      locked: true,
      location: "/home/alice/.local/share/pypi-recovery-assistant/vault.age",
    },
    totp: new Map(),
    totpSecondsLeft: 25,

    opened: [],
    sets: new Map(),
    failNext: null,
    failCommand: null,
    confirms: [],
    asked: [],
    dialogPath: "/home/alice/Documents/pypi-recovery-backup-2026-11-24.age",
    chosenBackup: null,
    advice: {
      path: "file_request",
      title: "File an account-recovery request",
      why: "You lost your 2FA device and have no recovery codes.",
      steps: ["Fill in the request here."],
      link: null,
      reason: "Lost 2FA authentication app or security token",
    },
    questions: [
      {
        id: "site",
        legend: "Which site is the account on?",
        hint: null,
        choices: [
          { value: "pypi", label: "PyPI (pypi.org)" },
          { value: "testpypi", label: "TestPyPI (test.pypi.org)" },
        ],
        answer: null,
      },
      {
        id: "email",
        legend: "Can you still read email sent to the account's address?",
        hint: null,
        choices: [
          { value: "yes", label: "Yes" },
          { value: "no", label: "No, I lost access to it" },
        ],
        answer: null,
      },
    ],
    found: {
      sets: [],
      searched: [],
      unreadable_folders: 0,
      stopped_early: false,
    },
    roles: { project: "", organization: null, roles: [] },
    check: null,
    draft: null,
    requestFile: null,
    submissions: [],
    copied: [],
    checked: [],
    pwned: { pwned: true, count: 17043 },
    keychain: ok({
      backend: "Secret Service",
      available: true,
      problem: null,
      message: "The Secret Service is available and can store secrets.",
    }),
    async keychainStatus() {
      fake.calls.push("keychainStatus");
      return fake.keychain;
    },
    async codesList() {
      fake.calls.push("codesList");
      return ok([...fake.sets].map(([account, set]) => summary(account, set)));
    },
    async codesImport(account, text) {
      fake.calls.push("codesImport");
      if (fake.sets.has(account)) {
        const cancelled = confirm(`Replace the recovery codes for ${account}?`);
        if (cancelled) return cancelled;
      }
      const codes = text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && l !== "PyPI recovery codes");
      const set = {
        codes,
        used: codes.map(() => false),
        imported: "2026-11-23T10:00:00Z",
      };
      fake.sets.set(account, set);
      return ok(summary(account, set));
    },
    async codesRevealNext(account) {
      fake.calls.push("codesRevealNext");
      const set = fake.sets.get(account);
      if (!set) return missing(account);
      const cancelled = agreeToUse(account);
      if (cancelled) return cancelled;
      const index = set.used.indexOf(false);
      return ok({
        index,
        code: set.codes[index],
        grouped: groups(set.codes[index]),
      });
    },
    async codesCopyNext(account) {
      fake.calls.push("codesCopyNext");
      const set = fake.sets.get(account);
      if (!set) return missing(account);
      const cancelled = agreeToUse(account);
      if (cancelled) return cancelled;
      return ok({ index: set.used.indexOf(false), clears_in_seconds: 30 });
    },
    async codesSetUsed(account, index, used) {
      fake.calls.push(`codesSetUsed:${index}:${used}`);
      const set = fake.sets.get(account);
      if (!set) return missing(account);
      set.used[index] = used;
      return ok(summary(account, set));
    },
    async codesRemove(account) {
      fake.calls.push("codesRemove");
      return (
        confirm(`Remove the recovery codes for ${account}?`) ??
        ok(fake.sets.delete(account))
      );
    },
    async totpList() {
      fake.calls.push("totpList");
      return ok([...fake.totp.values()].map((t) => t.summary));
    },
    async totpImportLink(account, link) {
      fake.calls.push("totpImportLink");
      const parsed = parseLink(link);
      if (!parsed) {
        return {
          status: "error",
          error: {
            code: "totp_import_refused",
            message: "This is not an authenticator link.",
            detail: null,
          },
        };
      }
      return storeTotp(account, parsed.secret, parsed.label, parsed.issuer);
    },
    async totpImportImage(account, image) {
      fake.calls.push(`totpImportImage:${image.length}`);
      return storeTotp(
        account,
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "alice",
        "PyPI",
      );
    },
    async totpImportManual(account, entry) {
      fake.calls.push("totpImportManual");
      return storeTotp(
        account,
        entry.secret,
        entry.label,
        entry.issuer ?? null,
      );
    },
    async totpCode(account) {
      fake.calls.push("totpCode");
      if (!fake.totp.has(account)) return totpMissing(account);
      return ok({
        code: FAKE_TOTP_CODE,
        next: fake.totpSecondsLeft <= 10 ? FAKE_TOTP_NEXT : null,
        seconds_left: fake.totpSecondsLeft,
        period: 30,
        next_within: 10,
      });
    },
    async totpCopyCode(account) {
      fake.calls.push("totpCopyCode");
      if (!fake.totp.has(account)) return totpMissing(account);
      fake.copied.push(FAKE_TOTP_CODE);
      return ok({ index: null, clears_in_seconds: 30 });
    },
    async totpVerify(account, code) {
      fake.calls.push("totpVerify");
      if (!fake.totp.has(account)) return totpMissing(account);
      const typed = code.replace(/\s/g, "");
      if (!/^\d{6}$/.test(typed)) {
        return {
          status: "error",
          error: {
            code: "totp_bad_code",
            message: "Type the 6-digit code your authenticator app shows now.",
            detail: null,
          },
        };
      }
      if (typed === FAKE_TOTP_CODE)
        return ok({
          matched: true,
          clock_off: false,
          message:
            "It matches: this backup makes the same codes as your phone.",
        });
      if (typed === FAKE_TOTP_SKEWED)
        return ok({
          matched: false,
          clock_off: true,
          message:
            "That code is from 120 seconds ahead: your phone's or this computer's clock is off.",
        });
      return ok({
        matched: false,
        clock_off: false,
        message: "That code does not match this backup.",
      });
    },
    async totpReveal(account) {
      fake.calls.push("totpReveal");
      const stored = fake.totp.get(account);
      if (!stored) return totpMissing(account);
      const cancelled = confirm(`Show the setup key for ${account}?`);
      if (cancelled) return cancelled;
      return ok({
        uri: `otpauth://totp/${account}?secret=${stored.secret}`,
        secret: groups(stored.secret),
        qr: {
          width: 21,
          dark: Array.from({ length: 441 }, (_, i) => i % 3 === 0),
        },
      });
    },
    async totpRemove(account) {
      fake.calls.push("totpRemove");
      return (
        confirm(`Remove the authenticator backup for ${account}?`) ??
        ok(fake.totp.delete(account))
      );
    },
    async backupExport(passphrase) {
      fake.calls.push("backupExport");
      const path = fake.dialogPath;
      if (path === null) return ok(null);
      const contents = contentsNow();
      fake.backups.set(path, { passphrase, contents });
      fake.chosenBackup = path;
      return ok({ contents, name: path.split("/").pop()! });
    },
    async backupChooseFile() {
      fake.calls.push("backupChooseFile");
      const path = [...fake.backups.keys()][0] ?? null;
      if (path !== null) fake.chosenBackup = path;
      return ok(path === null ? null : path.split("/").pop()!);
    },
    async backupVerify(passphrase) {
      fake.calls.push("backupVerify");
      return openBackup(fake.chosenBackup ?? "", passphrase);
    },
    async backupRestore(passphrase, apply) {
      fake.calls.push(`backupRestore:${apply}`);
      const opened = openBackup(fake.chosenBackup ?? "", passphrase);
      if (opened.status === "error") return opened;
      const items = opened.data.accounts.flatMap((a) => [
        ...(a.recovery_codes
          ? [
              {
                account: a.account,
                kind: "recovery_codes" as const,
                change: fake.sets.has(a.account)
                  ? ("replace" as const)
                  : ("add" as const),
              },
            ]
          : []),
        ...(a.totp
          ? [
              {
                account: a.account,
                kind: "totp" as const,
                change: fake.totp.has(a.account)
                  ? ("same" as const)
                  : ("add" as const),
              },
            ]
          : []),
      ]);
      const replaced = items.filter((i) => i.change === "replace");
      if (apply && replaced.length > 0) {
        const accounts = replaced.map((i) => i.account).join(", ");
        const cancelled = confirm(`Replace what is stored for ${accounts}?`);
        if (cancelled) return cancelled;
      }
      return ok({ contents: opened.data, items });
    },
    async paperKit(includeQr) {
      fake.calls.push(`paperKit:${includeQr}`);
      const cancelled = confirm("Print every recovery code?");
      if (cancelled) return cancelled;
      return ok(
        [...fake.sets].map(([account, set]) => ({
          account,
          codes: set.codes.map((code, i) => ({
            code,
            grouped: groups(code),
            used: set.used[i],
          })),
          totp: fake.totp.has(account) ? `PyPI: ${account}` : null,
          qr:
            includeQr && fake.totp.has(account)
              ? {
                  width: 21,
                  dark: Array.from({ length: 441 }, (_, i) => i % 2 === 0),
                }
              : null,
        })),
      );
    },
    async vaultStatusGet() {
      return ok({ ...fake.vault });
    },
    async vaultOpen(passphrase) {
      fake.calls.push("vaultOpen");
      if (charCount(passphrase) < MIN_PASSPHRASE_CHARS)
        return {
          status: "error",
          error: {
            code: "backup_weak_passphrase",
            message: "Choose a passphrase of at least 8 characters.",
            detail: null,
          },
        };
      fake.vault = { ...fake.vault, in_use: true, exists: true, locked: false };
      return ok({ ...fake.vault });
    },
    async vaultLock() {
      fake.vault = { ...fake.vault, locked: true };
      return ok({ ...fake.vault });
    },
    async vaultLeave() {
      fake.vault = { ...fake.vault, in_use: false, locked: true };
      return ok({ ...fake.vault });
    },
    print() {
      fake.printed += 1;
    },
    async requestStatus(issueUrl) {
      fake.calls.push(`requestStatus:${issueUrl}`);
      return ok(fake.status);
    },
    async requestTrackedIssue() {
      return ok(fake.submissions.find((s) => s.issue_url)?.issue_url ?? null);
    },
    async requestBranchCommands(token) {
      if (!/^[A-Za-z0-9]{16}$/.test(token.trim()))
        return {
          status: "error",
          error: {
            code: "online_bad_input",
            message:
              "The token from PyPI's email is exactly 16 letters and digits.",
            detail: null,
          },
        };
      return ok({
        push: `git push origin HEAD:refs/heads/${token.trim()}`,
        delete: `git push origin --delete ${token.trim()}`,
      });
    },
    async requestVerify(repo, token) {
      fake.calls.push(`requestVerify:${repo}:${token}`);
      return ok(fake.branch);
    },
    async requestEvidence(username, projects) {
      fake.calls.push(`requestEvidence:${username}:${projects.join(",")}`);
      return ok(fake.evidence);
    },
    async requestPathStep(answers) {
      fake.calls.push(`requestPathStep:${JSON.stringify(answers)}`);
      const given = answers as Record<string, string | null | undefined>;
      const questions: Question[] = [];
      for (const q of fake.questions) {
        const answer = given[q.id] ?? null;
        questions.push({ ...q, answer });
        if (answer === null) return ok({ questions, advice: null });
      }
      return ok({ questions, advice: fake.advice });
    },
    async requestWhoami(project) {
      fake.calls.push(`requestWhoami:${project}`);
      return ok({ ...fake.roles, project });
    },
    async codesFind(onProgress) {
      fake.calls.push("codesFind");
      onProgress({ folders: 1, files_read: 3, found: fake.found.sets.length });
      return ok(fake.found);
    },
    async codesImportFound(id, account) {
      fake.calls.push(`codesImportFound:${id}:${account}`);
      const found = fake.found.sets.find((s) => s.id === id);
      if (!found) {
        return {
          status: "error",
          error: {
            code: "file",
            message: "That file is no longer in the list. Search again.",
            detail: null,
          },
        };
      }
      const codes = Array.from({ length: found.codes }, (_, i) =>
        `${i}`.padStart(16, "a"),
      );
      return fake.codesImport(account, codes.join("\n"));
    },
    async codesShowFound(id) {
      fake.calls.push(`codesShowFound:${id}`);
      return ok(null);
    },
    async requestCheck(request) {
      return ok((fake.check ?? simpleCheck)(withDefaults(request)));
    },
    async requestPreview(input) {
      const request = withDefaults(input);
      const issue = `### PyPI Username\n\n\`${request.username}\`\n\n### Reason for request\n\n${request.reason}`;
      return ok({
        issue_markdown: issue,
        issue_html: `<h3>PyPI Username</h3><p><code>${request.username}</code></p>`,
        form_url:
          "https://github.com/pypi/support/issues/new?template=account-recovery.yml",
        username_field: `\`${request.username}\``,
        reason_field: request.reason,
        email_to: "support@pypi.org",
        email_subject: `PyPI account recovery: ${request.username}`,
        email_body: `Hello PyPI support,\n${request.private.emails.join(", ")}`,
        mailto_url: "mailto:support@pypi.org?subject=x",
      });
    },
    async requestLoadDraft() {
      return ok({ request: fake.draft, notice: null });
    },
    async requestSaveDraft(request) {
      fake.draft = withDefaults(structuredClone(request));
      return ok(null);
    },
    async requestForgetDraft() {
      fake.calls.push("requestForgetDraft");
      fake.draft = null;
      return ok(null);
    },
    async requestEarlier(username) {
      return ok(fake.submissions.filter((s) => s.username === username));
    },
    async requestRecordHandOff(username) {
      const submission = {
        username,
        handed_off: "2026-11-23T10:00:00Z",
        issue_url: null,
        follow_up: "2026-12-07",
      };
      fake.submissions.push(submission);
      return ok(submission);
    },
    async requestExport() {
      fake.calls.push("requestExport");
      return ok(fake.dialogPath !== null);
    },
    async requestImport() {
      fake.calls.push("requestImport");
      return ok(structuredClone(fake.requestFile));
    },
    async copyText(text) {
      fake.copied.push(text);
      return ok(null);
    },
    async passwordCheck(password) {
      fake.checked.push(password);
      return ok(simpleStrength(password));
    },
    async passwordPwned() {
      fake.calls.push("passwordPwned");
      return ok(fake.pwned);
    },
    async passphraseGenerate(words, separator) {
      return ok({
        phrase: Array(words).fill("abacus").join(separator),
        entropy_bits: words * 12.925,
      });
    },
    async copySecret(text) {
      fake.copied.push(text);
      return ok({ index: null, clears_in_seconds: 30 });
    },
    async openExternal(url) {
      fake.calls.push("openExternal");
      fake.opened.push(url);
      return ok(null);
    },
    ...overrides,
  };
  // One place lets every command fail on demand: while failNext is set, the next command
  // called (or the next call of failCommand) changes nothing and answers with it.
  for (const [name, method] of Object.entries(fake)) {
    if (!(method instanceof AsyncFunction)) continue;
    Object.assign(fake, {
      [name]: async (...args: unknown[]) => {
        const error = fake.failNext;
        if (!error || (fake.failCommand && fake.failCommand !== name))
          return (method as (...a: unknown[]) => Promise<unknown>)(...args);
        fake.failNext = null;
        fake.failCommand = null;
        fake.calls.push(`${name}:failed`);
        return { status: "error", error };
      },
    });
  }
  return fake;
}

const AsyncFunction = (async () => {}).constructor;
