// A seconds countdown for things that hide or clear themselves (revealed codes, the clipboard,
// the TOTP period). It ticks once a second only while the window is visible: hidden, nobody
// sees the seconds, so it waits, and catches up when the window shows again. A countdown that
// hides a secret is made with `endsWhileHidden`, so the secret goes at its time even unseen.
export class Countdown {
  remaining = $state(0);
  /** How many times it has been started: a restart is news even while it runs. */
  starts = $state(0);
  #deadline = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onDone: () => void;
  #endsWhileHidden: boolean;

  constructor(
    onDone: () => void = () => {},
    { endsWhileHidden = false }: { endsWhileHidden?: boolean } = {},
  ) {
    this.#onDone = onDone;
    this.#endsWhileHidden = endsWhileHidden;
  }

  start(seconds: number) {
    this.stop();
    this.starts += 1;
    this.#deadline = Date.now() + seconds * 1000;
    document.addEventListener("visibilitychange", this.#update);
    this.#update();
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    document.removeEventListener("visibilitychange", this.#update);
    this.remaining = 0;
  }

  get running() {
    return this.remaining > 0;
  }

  // One timer at a time: to the next whole second while visible; to the end, or none, hidden.
  #update = () => {
    clearTimeout(this.#timer);
    const left = this.#deadline - Date.now();
    if (left <= 0) {
      this.stop();
      this.#onDone();
      return;
    }
    this.remaining = Math.ceil(left / 1000);
    if (!document.hidden) {
      this.#timer = setTimeout(
        this.#update,
        left - (this.remaining - 1) * 1000,
      );
    } else if (this.#endsWhileHidden) {
      this.#timer = setTimeout(this.#update, left);
    } else {
      this.#timer = undefined;
    }
  };
}
