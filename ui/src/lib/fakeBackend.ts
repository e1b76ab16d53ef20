// An in-memory Backend for UI tests: it records calls and answers with what the test set.
import type { Backend, KeychainStatus, Outcome } from "./backend";

export interface FakeBackend extends Backend {
  calls: string[];
  keychain: Outcome<KeychainStatus>;
  opened: string[];
}

export function fakeBackend(overrides: Partial<FakeBackend> = {}): FakeBackend {
  const fake: FakeBackend = {
    calls: [],
    opened: [],
    keychain: {
      status: "ok",
      data: {
        backend: "Secret Service",
        available: true,
        problem: null,
        message: "The Secret Service is available and can store secrets.",
      },
    },
    async keychainStatus() {
      fake.calls.push("keychainStatus");
      return fake.keychain;
    },
    async openExternal(url) {
      fake.calls.push("openExternal");
      fake.opened.push(url);
      return { status: "ok", data: null };
    },
    ...overrides,
  };
  return fake;
}
