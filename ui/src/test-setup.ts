import { afterEach } from "vitest";
import { cleanup } from "@testing-library/svelte";

// Each test renders into a fresh document.
afterEach(() => cleanup());
