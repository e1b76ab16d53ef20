import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { tauriBackend } from "./lib/tauriBackend";
import { ignoreBusyClicks } from "./lib/busy";

ignoreBusyClicks(document);

mount(App, {
  target: document.getElementById("app")!,
  props: { backend: tauriBackend },
});
