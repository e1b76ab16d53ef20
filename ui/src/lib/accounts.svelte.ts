// The accounts an area lists (recovery code sets, authenticator backups): read from the core,
// kept sorted by name, and updated in place as cards change them.
import type { Outcome } from "./backend";

export class StoredAccounts<T extends { account: string }> {
  items: T[] = $state([]);
  loading = $state(true);
  /** Why the last read failed, or "". */
  error = $state("");
  #read: () => Promise<Outcome<T[]>>;

  constructor(read: () => Promise<Outcome<T[]>>) {
    this.#read = read;
  }

  async load() {
    this.loading = true;
    const outcome = await this.#read();
    this.loading = false;
    if (outcome.status === "ok") {
      this.items = outcome.data;
      this.error = "";
    } else {
      this.error = outcome.error.message;
    }
  }

  /** Adds `item`, or replaces the one of the same account. */
  upsert(item: T) {
    const others = this.items.filter((a) => a.account !== item.account);
    this.items = [...others, item].sort((a, b) =>
      a.account.localeCompare(b.account),
    );
  }

  remove(account: string) {
    this.items = this.items.filter((a) => a.account !== account);
  }
}
