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
  Request,
  Submission,
  Pwned,
  Strength,
} from "./backend";

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

export interface FakeBackend extends Backend {
  calls: string[];
  keychain: Outcome<KeychainStatus>;
  opened: string[];
  sets: Map<string, FakeSet>;
  /** When set, the next call fails with this error (then it is cleared). */
  failNext: AppError | null;
  /** What the path finder answers. */
  advice: PathAdvice;
  /** What the check answers; by default, "required" errors for empty public fields. */
  check: ((request: Request) => Check) | null;
  draft: Request | null;
  submissions: Submission[];
  copied: string[];
  /** Passwords checked, in order (to test debouncing). */
  checked: string[];
  /** What the breach check answers. */
  pwned: Pwned;
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
  const failure = (): Outcome<never> | null => {
    const error = fake.failNext;
    fake.failNext = null;
    return error ? { status: "error", error } : null;
  };
  const missing = (account: string): Outcome<never> => ({
    status: "error",
    error: {
      code: "codes_unknown_account",
      message: `No recovery codes are stored for “${account}”.`,
    },
  });

  const fake: FakeBackend = {
    calls: [],
    opened: [],
    sets: new Map(),
    failNext: null,
    advice: {
      path: "file_request",
      title: "File an account-recovery request",
      why: "You lost your 2FA device and have no recovery codes.",
      steps: ["Fill in the request here."],
      link: null,
      suggested_reason: "Lost 2FA authentication app or security token",
    },
    check: null,
    draft: null,
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
      return (
        failure() ??
        ok([...fake.sets].map(([account, set]) => summary(account, set)))
      );
    },
    async codesImport(account, text, replace) {
      fake.calls.push("codesImport");
      const refused = failure();
      if (refused) return refused;
      if (fake.sets.has(account) && !replace) {
        return {
          status: "error",
          error: {
            code: "codes_would_replace",
            message: `Recovery codes for “${account}” are already stored.`,
          },
        };
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
      const index = set.used.indexOf(false);
      return ok({ index, code: set.codes[index] });
    },
    async codesCopyNext(account) {
      fake.calls.push("codesCopyNext");
      const set = fake.sets.get(account);
      if (!set) return missing(account);
      return (
        failure() ??
        ok({ index: set.used.indexOf(false), clears_in_seconds: 30 })
      );
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
      return ok(fake.sets.delete(account));
    },
    async requestFindPath() {
      fake.calls.push("requestFindPath");
      return ok(fake.advice);
    },
    async requestCheck(request) {
      return ok((fake.check ?? simpleCheck)(request));
    },
    async requestPreview(request) {
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
      fake.draft = structuredClone(request);
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
      return ok(true);
    },
    async requestImport() {
      fake.calls.push("requestImport");
      return ok(null);
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
      return failure() ?? ok(fake.pwned);
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
  return fake;
}
