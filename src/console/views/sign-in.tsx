import { startSignIn, type ConsoleConfig } from "../auth.js";

/** Strict mode before sign-in, or open mode with a missing or stale token. */
export function SignIn({ config, problem }: { config: ConsoleConfig; problem: string | undefined }) {
  return (
    <main id="main" class="sign-in">
      <h1>orbitra console</h1>
      <p>
        Vault <strong>{config.vault}</strong>
      </p>
      {problem ? (
        <p class="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      {config.auth === "strict" ? (
        <>
          <p>This server runs in strict mode: sign in, and every action runs as you, under the roles you hold.</p>
          <button class="primary" onClick={() => void startSignIn()}>
            Sign in
          </button>
        </>
      ) : null}
    </main>
  );
}
