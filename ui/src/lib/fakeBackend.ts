// An in-memory Backend for UI tests: it records calls and answers with what the test set.
// It is deliberately simple (one code per non-empty line); the real rules live in Rust.
import type {
  AppError,
  Backend,
  CodesSummary,
  KeychainStatus,
  Outcome,
} from "./backend";

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
    async openExternal(url) {
      fake.calls.push("openExternal");
      fake.opened.push(url);
      return ok(null);
    },
    ...overrides,
  };
  return fake;
}
