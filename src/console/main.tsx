import { render } from "preact";
import { VaultApi } from "./api.js";
import { App } from "./app.js";
import { establishToken, SignInError, currentToken, type ConsoleConfig } from "./auth.js";
import { SignIn } from "./views/sign-in.js";

async function boot(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  // Preact renders beside what is there: the boot message goes first.
  root.textContent = "";
  let problem: string | undefined;
  try {
    await establishToken(config);
  } catch (error) {
    problem = error instanceof SignInError ? error.message : "The console could not start: reload the page.";
  }
  if (!currentToken()) {
    render(<SignIn config={config} problem={problem} />, root);
    return;
  }
  render(<App config={config} api={new VaultApi(currentToken)} />, root);
}

async function loadConfig(): Promise<ConsoleConfig> {
  return (await (await fetch("/_console/config.json", { cache: "no-store" })).json()) as ConsoleConfig;
}

void boot(document.getElementById("app")!);
