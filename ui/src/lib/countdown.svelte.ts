// A seconds countdown for things that hide or clear themselves (revealed codes, the clipboard).
export class Countdown {
  remaining = $state(0);
  #timer: ReturnType<typeof setInterval> | undefined;
  #onDone: () => void;

  constructor(onDone: () => void = () => {}) {
    this.#onDone = onDone;
  }

  start(seconds: number) {
    this.stop();
    this.remaining = seconds;
    this.#timer = setInterval(() => {
      this.remaining -= 1;
      if (this.remaining <= 0) {
        this.stop();
        this.#onDone();
      }
    }, 1000);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.remaining = 0;
  }

  get running() {
    return this.remaining > 0;
  }
}
